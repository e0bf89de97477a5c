"""Change the settings Material writes into each page (`<script id="__config">`).

Material's base.html prints them as JSON with Jinja's `tojson`; a plugin that changes them
must print them back as safely, or a value holding `</script>` would end the element.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

_CONFIG_SCRIPT = re.compile(
    r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL
)
# What Jinja's `tojson` escapes, so that JSON is safe inside HTML.
_HTML_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}


def change_material_config(html: str, change: Callable[[dict[str, Any]], None]) -> str:
    """The page with `change` applied to its Material settings; a page without them (a
    page the theme did not render) as it was."""

    def rewrite(match: re.Match[str]) -> str:
        settings = json.loads(match.group(2))
        change(settings)
        return match.group(1) + _html_safe_json(settings) + match.group(3)

    return _CONFIG_SCRIPT.sub(rewrite, html, count=1)


def _html_safe_json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    for unsafe, escaped in _HTML_UNSAFE.items():
        text = text.replace(unsafe, escaped)
    return text
