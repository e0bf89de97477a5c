"""Fails loudly when an upgrade changes what the project's plugins reach into.

blog-i18n reorders the blog plugin's events and reads internals of MkDocs,
mkdocs-material, mkdocs-static-i18n and Material's search; fencerun reads
Python-Markdown's HTML stash; site-markdown subclasses Python-Markdown's abbr
tree processor. Upgrading any of them needs a new look at that plugin; these
tests say where.
"""

from __future__ import annotations

import inspect
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from markdown import Markdown
from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor
from markdown.util import HTML_PLACEHOLDER_RE
from material.plugins.blog.config import BlogConfig
from material.plugins.blog.plugin import BlogPlugin
from material.plugins.blog.structure import Post, View
from blog_i18n.search_index import _search_settings
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import PluginCollection
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs_static_i18n.plugin import I18n

from tests.locks import pins
from tests.site.built_site import REPO

SHIMMED = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n")


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
        "categories_allowed",
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


def _config(folder: Path, mkdocs_yml: str) -> MkDocsConfig:
    (folder / "docs").mkdir()
    (folder / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    return load_config(str(folder / "mkdocs.yml"))


def test_a_moved_blog_page_gets_its_url_and_canonical_url_from_mkdocs(tmp_path: Path) -> None:
    # blog_files.move_to_language_root changes dest_uri, then asks MkDocs' private helpers
    # for the URL and the canonical URL that follow from it.
    config = _config(tmp_path, "site_name: pins\nsite_url: https://example.org/\n")
    file = File("ko/blog/index.md", str(tmp_path / "docs"), config.site_dir, True)
    page = Page("Blog", file, config)
    file.dest_uri = "blog/index.html"
    assert file._get_url() == "blog/"
    file.url = file._get_url()
    page._set_canonical_url(config.site_url)
    assert page.canonical_url == "https://example.org/blog/"


def test_the_blogs_on_files_is_a_bound_handler_in_the_files_event_list() -> None:
    # blog-i18n finds the blog's on_files in config.plugins.events["files"] by the plugin it
    # is bound to, removes it, and calls it itself after static-i18n's.
    plugins = PluginCollection()
    blog = BlogPlugin()
    plugins["material/blog"] = blog
    handlers = [h for h in plugins.events["files"] if getattr(h, "__self__", None) is blog]
    assert handlers == [blog.on_files]
    plugins.events["files"].remove(handlers[0])
    assert all(getattr(h, "__self__", None) is not blog for h in plugins.events["files"])


def test_materials_language_partial_exports_the_t_macro_search_settings_read(
    tmp_path: Path,
) -> None:
    # search_index._search_settings calls template.module.t on Material's language partial.
    config = _config(tmp_path, "site_name: pins\ntheme:\n  name: material\n  language: ko\n")
    settings = _search_settings(config)
    assert settings["lang"] and all(settings["lang"])
    assert settings["separator"] and settings["pipeline"]


def test_python_markdowns_html_stash_is_what_fencerun_reads() -> None:
    # fencerun's markdown_ext finds an output by its stash placeholder and reads the stored
    # HTML from htmlStash.rawHtmlBlocks.
    md = Markdown()
    placeholder = md.htmlStash.store("<p>output</p>")
    match = HTML_PLACEHOLDER_RE.fullmatch(placeholder)
    assert match is not None
    assert str(md.htmlStash.rawHtmlBlocks[int(match.group(1))]) == "<p>output</p>"


def test_python_markdowns_abbr_internals_site_markdown_replaces_exist() -> None:
    # site_markdown.abbr subclasses AbbrTreeprocessor: its run() sets self.RE and calls
    # iter_element, which reads self.RE and self.abbrs; the extension shares its abbrs.
    assert "abbrs" in inspect.signature(AbbrTreeprocessor.__init__).parameters
    iterate = inspect.getsource(AbbrTreeprocessor.iter_element)
    assert "self.RE.finditer" in iterate and "self.abbrs[m.group(0)]" in iterate
    assert "self.abbrs = {}" in inspect.getsource(AbbrExtension.__init__)
    md = Markdown(extensions=[AbbrExtension()])
    assert isinstance(md.treeprocessors["abbr"], AbbrTreeprocessor)


@pytest.mark.parametrize(
    ("plugin", "package", "why"),
    [
        ("fencerun", "pymdown-extensions", "fences.py mirrors superfences' fence grammar"),
        ("fencerun", "markdown", "markdown_ext.py reads the HTML stash"),
        ("site-markdown", "markdown", "abbr.py subclasses AbbrTreeprocessor"),
    ],
)
def test_the_pinned_markdown_stack_is_inside_each_plugins_declared_range(
    plugin: str, package: str, why: str
) -> None:
    manifest = tomllib.loads((REPO / "plugins" / plugin / "pyproject.toml").read_text("utf-8"))
    declared = {
        Requirement(line).name.lower(): Requirement(line).specifier
        for line in manifest["project"]["dependencies"]
    }
    locked = pins(REPO / "requirements.lock")[package]
    assert declared[package].contains(locked), (
        f"requirements.lock pins {package} {locked}, outside {declared[package]} in "
        f"plugins/{plugin}/pyproject.toml: {why}; check that against the new version, "
        "then widen the range"
    )
