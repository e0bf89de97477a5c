"""`scripts/site serve`: a live preview of the site that answers in about a second.

MkDocs' own server rebuilds both languages and every page on each save. The preview
builds one language (the author's) and keeps, between rebuilds, what a rebuild would
only make again: the compiled theme templates (`templates`) and the HTML of pages
whose Markdown did not change (`memo`). `settings` picks what a preview builds,
`plugin` hooks them into each build, `server` is MkDocs' serve loop with those pieces in,
and `cli` reads the options.
"""
