"""The real site, built once per test session and shared by every test folder that reads it.

Every build of the real site in the tests builds a copy of it (tests/site_copy.py), never
the checkout: the tests' blocks fill a store of their own."""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path

import pytest

from tests.not_checked import Cause, cause_of
from tests.site.built_site import SITE_URL, BuiltSite
from tests.site_copy import built_copy, copy_site


@pytest.fixture(scope="session")
def site_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The copy of the site every real-site build of this session uses."""
    return copy_site(tmp_path_factory.mktemp("real-site") / "project")


@pytest.fixture(scope="session")
def real_site(site_project: Path, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return built_copy(site_project, tmp_path_factory.mktemp("site"), site_url=SITE_URL)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`needs_root` as a skip mark, so that the skip is reported at the test's own line."""
    if os.geteuid() == 0:
        return
    for item in items:
        needs_root = item.get_closest_marker("needs_root")
        if needs_root is not None:
            why = needs_root.args[0] if needs_root.args else item.name
            item.add_marker(pytest.mark.skip(reason=f"{Cause.ROOT.value}: {why}"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A skip must name its cause (tests/not_checked.py): one that does not fails."""
    report: pytest.TestReport = yield
    if report.skipped and cause_of(_reason(report)) is None and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} skipped without a declared cause ({_reason(report)!r}): "
            "use a marker (needs_root, needs_protection) or tests.not_checked.skip_for"
        )
    return report


def _reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = str(longrepr[-1]) if isinstance(longrepr, tuple) else ""
    return reason.removeprefix("Skipped: ")  # the form a report has before -ra shows it


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line: how many checks this machine could not make, by cause (each skip is also
    listed, with its own words, by -ra)."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    counts: dict[str, int] = {}
    for report in skipped:
        cause = cause_of(_reason(report))
        name = cause.value if cause else "expected failures"
        counts[name] = counts.get(name, 0) + 1
    causes = "; ".join(f"{cause}: {count}" for cause, count in sorted(counts.items()))
    terminalreporter.write_line(f"not checked in this run: {len(skipped)} ({causes})")
