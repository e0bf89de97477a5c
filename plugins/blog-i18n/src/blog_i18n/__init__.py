"""Material blog plugin and mkdocs-static-i18n, working together."""
