"""`scripts/check_content.py`: prints what is wrong with the site's pages, file:line first."""

from __future__ import annotations

from pathlib import Path

import click

from .checker import check_site, site_pages
from .markdown_source import UnreadablePage
from .site_config import SiteConfigError, load_site


@click.command(help="Check the site's Markdown: front matter, translations, links, images.")
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    # scripts/check_content.py, the command, sets the default to its repository.
    default=".",
    show_default="this repository",
    help="MkDocs project to check (the folder holding mkdocs.yml).",
)
def main(root: Path) -> None:
    root = root.resolve()
    try:
        site = load_site(root)
    except SiteConfigError as problem:
        raise click.ClickException(str(problem)) from problem
    if not site.docs_dir.is_dir():
        raise click.ClickException(
            f"no docs folder at {site.shown(site.docs_dir)}; run from a MkDocs project or "
            "pass --root"
        )
    try:
        pages = site_pages(site)
    except UnreadablePage as problem:
        raise click.ClickException(str(problem)) from problem
    findings = check_site(site, pages)
    for finding in findings:
        click.echo(str(finding))
    errors = sum(finding.severity == "error" for finding in findings)
    warnings = len(findings) - errors
    summary = f"content check: {errors} error(s), {warnings} warning(s) in {len(pages)} page(s)"
    click.echo(summary)
    if errors:
        raise SystemExit(1)
