"""static-i18n's INFO lines, without the values they dump.

Each language's build logs every config value static-i18n overrides, whole: the full nav
as a Python dict, the palette, the site description. The build log keeps the fact that a
setting was overridden for a language and loses the dump, which says nothing mkdocs.yml
does not.
"""

from __future__ import annotations

import logging
import re

# get_plugin_logger(__name__) in mkdocs_static_i18n/reconfigure.py
STATIC_I18N_LOGGER = "mkdocs.plugins.mkdocs_static_i18n.reconfigure"
_OVERRIDE = re.compile(
    r"(?P<fact>(?:Overriding|Updating) '[^']*' config '[^']*') with '.*'\Z", re.DOTALL
)


class WithoutDumpedValues(logging.Filter):
    """Cuts "Overriding 'en' config 'nav' with '[...]'" to "Overriding 'en' config 'nav'"."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO:
            message = record.getMessage()
            found = _OVERRIDE.search(message)
            if found is not None:
                record.msg, record.args = message[: found.start()] + found["fact"], ()
        return True


def quiet_static_i18n() -> None:
    """Installs the filter once on static-i18n's logger."""
    logger = logging.getLogger(STATIC_I18N_LOGGER)
    if not any(isinstance(existing, WithoutDumpedValues) for existing in logger.filters):
        logger.addFilter(WithoutDumpedValues())
