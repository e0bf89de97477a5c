"""Under `mkdocs serve` a failing block shows as an error box in the page, the server stays up,
and a prose edit reruns no block."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fencerun.conftest import build_env, write_project

PAGE = """
# Served

```python exec="on"
print("good-block")
```

```python exec="on"
print("bad-block-output")
raise SystemExit(3)
```
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the server")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    project = tmp_path_factory.mktemp("serve")
    write_project(project, {"index.md": PAGE})
    log = project / "serve.log"
    url = f"http://127.0.0.1:{free_port()}/"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", url[7:-1]],
            cwd=project,
            env=build_env(),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(lambda: fetch(url) is not None)
            yield url, project, log
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_failing_block_is_an_error_box_and_the_server_keeps_serving(
    served: tuple[str, Path, Path],
) -> None:
    url, _project, log = served
    html = fetch(url)
    assert html is not None
    assert "fencerun-failure" in html
    assert "exited with 3, expected 0" in html
    assert "bad-block-output" in html
    assert "good-block" in html
    text = log.read_text()
    assert "docs/index.md:7: python block exited with 3, expected 0" in text


def test_prose_edit_rebuilds_without_rerunning_passing_blocks(
    served: tuple[str, Path, Path],
) -> None:
    url, project, log = served
    page = project / "docs" / "index.md"
    page.write_text(PAGE.replace("# Served", "# Served\n\nA new sentence."), encoding="utf-8")
    wait_for(lambda: "A new sentence." in (fetch(url) or ""))
    wait_for(lambda: len(summaries(log)) >= 2)
    first, *_, last = summaries(log)
    assert "1 run, 0 reused, 1 failed" in first
    # The failing block gets another go on each rebuild; the passing one is reused.
    assert "0 run, 1 reused, 1 failed" in last
    # Per build the failure once; per session the protections line once.
    text = log.read_text()
    builds = len(summaries(log))
    assert text.count("python block exited with 3") == builds
    assert text.count("blocks run with:") == 1


def summaries(log: Path) -> list[str]:
    return [
        line
        for line in log.read_text().splitlines()
        if "fencerun: blocks " in line and "reused" in line
    ]
