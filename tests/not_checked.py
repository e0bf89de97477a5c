"""Why a check could not run on this machine: the one vocabulary every skip in the suite
uses, so that a run ends with one line counting what it did not check.

A skip states its cause either by a marker (`needs_root`, `needs_protection`) or, where the
condition is only known while the test runs, through `skip_for`. A skip that names no cause
fails the run: a check that passes without asserting is what this module exists to prevent.
"""

from __future__ import annotations

from enum import Enum

import pytest


class Cause(Enum):
    ROOT = "needs root"
    BY_DESIGN = "a variant without the protection (by design)"
    MACHINE = "this machine's kernel or host lacks it"


def skip_for(cause: Cause, why: str) -> None:
    __tracebackhide__ = True  # the skip is reported at the test's line, not here
    pytest.skip(f"{cause.value}: {why}")


def cause_of(reason: str) -> Cause | None:
    return next((cause for cause in Cause if reason.startswith(f"{cause.value}: ")), None)
