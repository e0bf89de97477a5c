"""The benchmark script keeps working: its per-block scenario runs blocks through a real
worker and prints each share. Only the shape of the report is checked, never a time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SHARES = re.compile(r"^  (python|bash) +(\d+\.\d\d) = (.+)$")
FLOOR = re.compile(r"^  (python|bash) +(\d+\.\d\d) forked from .*, (\d+\.\d\d) from a bare one$")


def test_the_per_block_scenario_prints_every_share_and_the_floor() -> None:
    done = subprocess.run(
        [sys.executable, "scripts/bench_exec.py", "--quick", "--only", "per-block"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    shares = {m[1]: (float(m[2]), m[3]) for line in lines if (m := SHARES.match(line))}
    assert set(shares) == {"python", "bash"}, done.stdout
    for total, parts in shares.values():
        named = dict(part.rsplit(" ", 1) for part in parts.split(", "))
        assert set(named) == {"build", "worker", "fork server", "block processes"}, parts
        assert abs(sum(map(float, named.values())) - total) < 0.03, parts
        assert float(named["block processes"]) > 0
    floors = {m[1] for line in lines if (m := FLOOR.match(line))}
    assert floors == {"python", "bash"}, done.stdout
