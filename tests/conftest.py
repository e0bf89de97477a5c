"""The real site, built once per test session and shared by every test folder that reads it.

Every build of the real site in the tests builds a copy of it (tests/site_copy.py), never
the checkout: the tests' blocks fill a store of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site.built_site import SITE_URL, BuiltSite
from tests.site_copy import built_copy, copy_site


@pytest.fixture(scope="session")
def site_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The copy of the site every real-site build of this session uses."""
    return copy_site(tmp_path_factory.mktemp("real-site") / "project")


@pytest.fixture(scope="session")
def real_site(site_project: Path, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return built_copy(site_project, tmp_path_factory.mktemp("site"), site_url=SITE_URL)


# What a skip's reason says it lacked, for the one line that ends a run.
_LACKING = {
    "needs root": ("root",),
    "a variant without a protection (by design)": ("turned off by the policy", "variant"),
    "this machine's kernel or host": ("not permitted", "refused", "namespace"),
}


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line: how many checks this machine could not make, and why, counted from the
    skips' own reasons (each is listed above by -ra)."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    counts: dict[str, int] = {}
    for report in skipped:
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
        cause = next(
            (name for name, words in _LACKING.items() if any(word in reason for word in words)),
            "other",
        )
        counts[cause] = counts.get(cause, 0) + 1
    causes = "; ".join(f"{cause}: {count}" for cause, count in sorted(counts.items()))
    terminalreporter.write_line(f"not checked in this run: {len(skipped)} ({causes})")
