"""The pip locks (requirements*.lock, the package test's floors.lock) as data: pins, hashes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
# Every lock a set-up or the package test installs from.
LOCKS = (
    REPO / "requirements-build.lock",
    REPO / "requirements.lock",
    REPO / "requirements-dev.lock",
    REPO / "tests" / "fencerun" / "package" / "floors.lock",
)
HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})")


@dataclass(frozen=True)
class Locked:
    """One requirement of a lock, from the physical line it starts on."""

    requirement: Requirement
    hashes: tuple[str, ...]
    line: int

    @property
    def name(self) -> str:
        return canonicalize_name(self.requirement.name)

    @property
    def version(self) -> str | None:
        """The exact version pinned with ==, or None for anything looser."""
        specifiers = list(self.requirement.specifier)
        if len(specifiers) == 1 and specifiers[0].operator == "==":
            return specifiers[0].version
        return None


def read_lock(path: Path) -> list[Locked]:
    """The requirements of `path`; options (-r, -c, --...) and comments are not requirements."""
    found = []
    for start, text in _logical_lines(path):
        if not text or text.startswith("-"):
            continue
        spec, _, options = text.partition(" --")
        try:
            requirement = Requirement(spec)
        except InvalidRequirement as error:
            raise ValueError(f"{path}:{start}: {error}; write it as name==version") from None
        found.append(Locked(requirement, tuple(HASH.findall("--" + options)), start))
    return found


def pins(path: Path) -> dict[str, str]:
    """{name: version} of the requirements pinned with == in `path`."""
    return {locked.name: version for locked in read_lock(path) if (version := locked.version)}


def _logical_lines(path: Path) -> list[tuple[int, str]]:
    """(first line number, text) of each line as pip reads it: `\\` continues, `#` comments."""
    lines: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not pending:
            start = number
        text = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if text.endswith("\\"):
            pending.append(text[:-1].strip())
            continue
        lines.append((start, " ".join([*pending, text]).strip()))
        pending = []
    if pending:
        lines.append((start, " ".join(pending)))
    return lines
