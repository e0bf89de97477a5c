"""Checks the site's Markdown the way an attentive editor would, before MkDocs does.

Each module has one job: `site_config` reads what mkdocs.yml says, `front_matter`
and `markdown_source` read a page, `references` finds what a page points to, the
`check_*` modules turn that into findings, and `cli` prints them.

A link's `#anchor` is left to MkDocs (`validation: anchors: warn` in mkdocs.yml, and a
strict build): only a rendering with the site's own extensions and plugins knows every
id a page has.
"""
