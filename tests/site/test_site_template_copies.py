"""Fails when Material's own version of a template the site copied changes.

Nine templates in overrides/ are Material's, copied whole with small changes each
header describes. An upgrade of Material that changes one of the originals leaves the
copy rendering the old template; this test names the copy to bring up to date.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import material
import pytest

from tests.site.built_site import REPO

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"
COPIED_FROM = "9.8.2"

# Each copy, and the SHA-256 of Material's template it was made from.
ORIGINALS = {
    "blog-post.html": "d1a725d4b5fe7c7596ebed76ed29e3c198390575baefe9f019715ea25761916a",
    "fragments/tags/default/tag.html": (
        "1883eaa46e05be69fc9022ba16422ebb1ec9db89d7d40e29087686941c54a53e"
    ),
    "partials/content.html": "ce33929c85af129f6e2f3b0aed47159e9c4a519482d1938bae15f5ff4a3cfae5",
    "partials/language.html": "3a44516f305006ac794f51a45ad7b532cf270916d8e92e8c42784e58b2eff0a3",
    "partials/nav-item.html": "89895208f22d68ce405a4bcb6649b9150eba5bbb04663a6cb3f93f02daf1d2f7",
    "partials/post.html": "756bb999794dc09dcee2e993a3fb30bf1c22334627ce39d82e82c3464eb35dc7",
    "partials/search.html": "bfd556535abcddb99396ab2a7e3acc2ebcd3f36756007d3969396caa4126be30",
    "partials/tags.html": "166225609857c8536fc2cd3da99ba1b7513df8b57d6613a0303bba44a11b9fba",
    "partials/toc-item.html": "418f31ce2e6d559934f610084a5c8493f9618b96268909601552ac48aa0c15c2",
}

# Overrides that fill Material's blocks through `extends` instead of copying a template.
EXTENDING = {"main.html", "404.html"}


@pytest.mark.parametrize("template", sorted(ORIGINALS))
def test_materials_original_is_the_one_the_copy_was_made_from(template: str) -> None:
    original = (MATERIAL_TEMPLATES / template).read_bytes()
    assert hashlib.sha256(original).hexdigest() == ORIGINALS[template], (
        f"Material's templates/{template} changed since overrides/{template} copied it "
        f"from {COPIED_FROM}: carry the copy's changes over to the new original, then "
        "update its header and this test's hash"
    )


@pytest.mark.parametrize("template", sorted(ORIGINALS))
def test_the_copy_says_which_material_it_came_from(template: str) -> None:
    header = (REPO / "overrides" / template).read_text(encoding="utf-8")[:400]
    assert re.search(rf"Material's [^(]*\({re.escape(COPIED_FROM)}\)", header), (
        f"overrides/{template} should name the Material version it copies ({COPIED_FROM})"
    )


def test_every_copy_of_a_material_template_is_checked() -> None:
    copies = {
        str(path.relative_to(REPO / "overrides"))
        for path in (REPO / "overrides").rglob("*.html")
        if (MATERIAL_TEMPLATES / path.relative_to(REPO / "overrides")).exists()
    }
    assert copies == set(ORIGINALS) | EXTENDING, (
        "a template overrides one of Material's: add it to ORIGINALS if it is a copy, "
        "else to EXTENDING"
    )
