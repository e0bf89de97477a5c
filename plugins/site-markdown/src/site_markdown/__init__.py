"""Python-Markdown extensions for this site: `site_markdown.abbr` (abbreviations before Korean
particles)."""
