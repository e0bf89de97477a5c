"""Fails loudly when an upgrade of the plugins blog-i18n reaches into changes.

blog-i18n reorders the blog plugin's events and reads internals of
mkdocs-material, mkdocs-static-i18n and Material's search. Upgrading any of
them needs a new look at plugins/blog-i18n; these tests say where.
"""

from __future__ import annotations

import inspect
import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from material.plugins.blog.config import BlogConfig
from material.plugins.blog.plugin import BlogPlugin
from material.plugins.blog.structure import Post, View
from mkdocs_static_i18n.plugin import I18n

from tests.site.built_site import REPO

SHIMMED = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n")


def pins(lockfile: Path) -> dict[str, str]:
    found = {}
    for line in lockfile.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line.strip())
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


@pytest.mark.parametrize("package", SHIMMED)
def test_installed_versions_are_the_pinned_ones(package: str) -> None:
    locked = pins(REPO / "requirements.lock")[package]
    manifest = tomllib.loads((REPO / "plugins/blog-i18n/pyproject.toml").read_text("utf-8"))
    assert f"{package}=={locked}" in manifest["project"]["dependencies"], (
        f"plugins/blog-i18n/pyproject.toml and requirements.lock disagree on {package}"
    )
    assert version(package) == locked, (
        f"{package} {version(package)} is installed, the shim was checked against {locked}: "
        "review plugins/blog-i18n against the new version, then update both pins"
    )


def test_blog_resolves_files_at_the_priority_blog_i18n_reorders() -> None:
    # blog-i18n removes BlogPlugin.on_files from the event list and calls it
    # after static-i18n's on_files; both priorities are what it orders against.
    assert getattr(BlogPlugin.on_files, "mkdocs_priority", 0) == -50
    assert getattr(BlogPlugin.on_nav, "mkdocs_priority", 0) == -50
    assert getattr(I18n.on_files, "mkdocs_priority", 0) == -100
    assert getattr(I18n.on_nav, "mkdocs_priority", 0) == -100
    assert getattr(I18n.on_post_build, "mkdocs_priority", 0) == -100
    # The blog reads its authors file in on_config, after blog-i18n (10) set blog_dir.
    assert getattr(BlogPlugin.on_config, "mkdocs_priority", 0) == 0
    assert getattr(BlogPlugin.on_page_content, "mkdocs_priority", 0) == 0


def test_blog_options_and_structures_blog_i18n_uses_exist() -> None:
    options = BlogConfig()
    for option in (
        "blog_dir",
        "post_url_format",
        "categories_slugify",
        "post_readtime_words_per_minute",
        "authors_file",
    ):
        assert option in options, f"BlogConfig lost '{option}'"
    view_init = inspect.getsource(View.__init__)
    for attribute in ("self.posts", "self.views", "self.pages"):
        assert attribute in view_init, f"blog View lost {attribute}"
    assert "self.config" in inspect.getsource(Post.__init__)
    # The blog keeps a reading time that is already set (blog-i18n sets it first).
    assert "if not page.config.readtime" in inspect.getsource(BlogPlugin.on_page_content)


def test_static_i18n_state_blog_i18n_reads_exists() -> None:
    source = inspect.getsource(I18n) + inspect.getsource(I18n.__mro__[1])
    for name in ("current_language", "default_language", "build_languages", "extra_alternate"):
        assert name in source, f"static-i18n lost '{name}'"
    # Its language switcher reads these attributes of a page's file.
    switcher = inspect.getsource(I18n.__mro__[1].reconfigure_page_context)
    for attribute in ("file.alternates", "file.locale_alternate_of", "config.extra.alternate"):
        assert attribute in switcher


def test_material_loads_search_index_relative_to_config_base() -> None:
    templates = Path(inspect.getfile(BlogPlugin)).parents[2] / "templates"
    bundle = next((templates / "assets/javascripts").glob("bundle.*.min.js")).read_text("utf-8")
    assert 'new URL("search/search_index.json",' in bundle
    base = (templates / "base.html").read_text(encoding="utf-8")
    assert '<script id="__config" type="application/json">' in base
    assert '"base": base_url' in base


def test_search_dialog_override_matches_materials_partial() -> None:
    templates = Path(inspect.getfile(BlogPlugin)).parents[2] / "templates"
    stock = (templates / "partials/search.html").read_text(encoding="utf-8").splitlines()
    ours = (REPO / "overrides/partials/search.html").read_text(encoding="utf-8").splitlines()
    # Same partial after the comment header, but for the dialog's aria-label.
    stock_body, our_body = stock[3:], ours[4:]
    assert len(stock_body) == len(our_body)
    differing = [(a, b) for a, b in zip(stock_body, our_body, strict=True) if a != b]
    assert differing == [
        (
            stock_body[0],
            stock_body[0].replace(
                'role="dialog">', 'role="dialog" aria-label="{{ lang.t(\'search\') }}">'
            ),
        )
    ]
