"""Where the build machine lacks gcc or unshare, or forbids namespaces, the posts' blocks still
pass and say so in words a reader understands.

The blocks are taken as written from the posts and the knowledge base and built in a small
site whose PATH holds every command of this machine except the missing ones.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.posts.live_blocks import doc, fences

SOURCES = (
    "blog/posts/linux-and-containers-for-new-engineers.md",
    "blog/posts/xor-swap-experiment.md",
    "kb/namespaces-and-cgroups.md",
)
MISSING = ("gcc", "cc", "unshare")
MKDOCS_YML = """\
site_name: missing tools
theme: mkdocs
markdown_extensions:
  - pymdownx.superfences
plugins:
  - fencerun:
      cache_dir: cache
"""
SAYS_NO_UNSHARE = {
    "ko": "이 머신에는 unshare 명령이 없어서 이 실험을 건너뜁니다.",
    "en": "This machine has no unshare command, so this experiment is skipped.",
}
SAYS_NO_GCC = {
    "ko": "이 빌드 머신에는 gcc가 없어서 어셈블리를 만들지 못했다.",
    "en": "The build machine has no gcc, so no assembly could be made.",
}
SAYS_FORBIDDEN = {
    "ko": "이 머신은 새 PID 네임스페이스를 만드는 것을 허락하지 않았습니다.",
    "en": "This machine did not allow creating a new PID namespace.",
}
REFUSAL = "unshare: unshare failed: Operation not permitted"


def tool_blocks(language: str) -> str:
    """Every live block of the sources that calls gcc or unshare, as Markdown."""
    chosen = [
        fence.markdown()
        for source in SOURCES
        for fence in fences(doc(language, source))
        if fence.runs and ("gcc" in fence.code or "unshare" in fence.code)
    ]
    assert len(chosen) >= 5, "the posts lost their gcc or unshare blocks"
    return "\n".join(chosen)


def path_without(tools: tuple[str, ...], into: Path) -> str:
    """A folder of links to every command on this PATH except `tools`, as a PATH.

    It must live in the project: blocks get a private /tmp, which hides other temp folders.
    """
    into.mkdir(parents=True)
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for entry in os.scandir(folder):
            name = entry.name
            if name in tools or name.startswith("gcc") or (into / name).exists():
                continue
            if entry.is_file() and os.access(entry.path, os.X_OK):
                (into / name).symlink_to(entry.path)
    return str(into)


def build(project: Path, path: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    for language in ("ko", "en"):
        (project / "docs" / f"{language}.md").write_text(
            f"# {language}\n\n{tool_blocks(language)}", encoding="utf-8"
        )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": path}
    env.pop("FENCERUN_EXECUTE", None)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    pages = {
        language: (project / "site" / language / "index.html").read_text(encoding="utf-8")
        for language in ("ko", "en")
        if result.returncode == 0
    }
    return result, pages


def test_site_builds_without_gcc_and_unshare_and_says_what_is_missing(tmp_path: Path) -> None:
    project = tmp_path / "site"
    result, pages = build(project, path_without(MISSING, project / "bin"))
    assert result.returncode == 0, result.stderr[-3000:]
    for language, html in pages.items():
        assert SAYS_NO_UNSHARE[language] in html
        assert SAYS_NO_GCC[language] in html
        assert "fencerun-failure" not in html
        assert "command not found" not in html


def test_site_builds_where_namespaces_are_forbidden_and_quotes_the_refusal(
    tmp_path: Path,
) -> None:
    project = tmp_path / "site"
    path = path_without(("unshare",), project / "bin")
    refusing = Path(path) / "unshare"
    refusing.write_text(f"#!/bin/sh\necho '{REFUSAL}' >&2\nexit 1\n", encoding="utf-8")
    refusing.chmod(0o755)
    result, pages = build(project, path)
    assert result.returncode == 0, result.stderr[-3000:]
    for language, html in pages.items():
        assert SAYS_FORBIDDEN[language] in html
        assert REFUSAL in html
        assert "fencerun-failure" not in html
