"""Checks the site's Markdown the way an attentive editor would, before MkDocs does.

Each module has one job: `site_config` reads what mkdocs.yml says, `front_matter`
and `markdown_source` read a page, `anchors` and `references` find what a page
offers and what it points to, the `check_*` modules turn that into findings, and
`cli` prints them.
"""
