"""The build log says which settings static-i18n overrides per language, without dumping
their values (the whole nav as a Python dict)."""

from __future__ import annotations

import logging

import pytest
from blog_i18n.quiet_log import STATIC_I18N_LOGGER, quiet_static_i18n
from mkdocs_static_i18n import reconfigure


def test_static_i18n_overrides_are_logged_without_their_values(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert reconfigure.log.logger.name == STATIC_I18N_LOGGER, "static-i18n moved its logger"
    quiet_static_i18n()
    quiet_static_i18n()  # once is enough: a second call adds nothing
    with caplog.at_level(logging.INFO, logger=STATIC_I18N_LOGGER):
        reconfigure.log.info("Overriding 'en' config 'nav' with '[{'Home': 'index.md'}]'")
        reconfigure.log.info("Updating 'en' config 'extra' with '{'a': 1}'")
        reconfigure.log.info("Building 'en' documentation to directory: /out/en")
        reconfigure.log.warning("Unknown 'en' config override 'x' with 'y'")
    assert [record.getMessage() for record in caplog.records] == [
        "mkdocs_static_i18n: Overriding 'en' config 'nav'",
        "mkdocs_static_i18n: Updating 'en' config 'extra'",
        "mkdocs_static_i18n: Building 'en' documentation to directory: /out/en",
        "mkdocs_static_i18n: Unknown 'en' config override 'x' with 'y'",
    ]
    filters = logging.getLogger(STATIC_I18N_LOGGER).filters
    assert len(filters) == 1
