"""The Linux primer: its commands ran on the build machine, and what could not run says so."""

from __future__ import annotations

import platform
import re

import pytest
import yaml
from bs4 import Tag

from tests.posts.live_blocks import article, doc, fences, footers, output_after
from tests.site.built_site import POSTS, REPO, BuiltSite

PRIMER = next(post for post in POSTS if post.slug == "linux-and-containers-for-new-engineers")
SOURCE = "blog/posts/linux-and-containers-for-new-engineers.md"
LANGUAGES = ("ko", "en")
RECORDED_LABEL = {
    "ko": "기록된 출력: 글쓴이의 머신에서 실행한 docker ps",
    "en": "Recorded output: docker ps run on the author's machine",
}
RECORDED_ON = {"ko": "기록된 결과:", "en": "Recorded on"}
RECORDINGS = REPO / "frozen"
PID_NAMESPACE_SEEN = {"ko": "안에서 본 내 PID: 1", "en": "My PID, seen from inside: 1"}
TRANSCRIPT_TABS = {"ko": ("명령과 출력", "전체 코드"), "en": ("Commands and output", "Full code")}
LAYOUTS = {
    "ko": {"v2": "구성: cgroup v2", "v1": "구성: cgroup v1", "hybrid": "구성: 하이브리드"},
    "en": {"v2": "Layout: cgroup v2", "v1": "Layout: cgroup v1", "hybrid": "Layout: hybrid"},
}
PID_NAMESPACE_REFUSED = {
    "ko": "이 머신은 새 PID 네임스페이스를 만드는 것을 허락하지 않았습니다.",
    "en": "This machine did not allow creating a new PID namespace.",
}


def transcript(page_article: Tag) -> Tag:
    """The tabbed block whose first tab shows the ps commands as typed, with their output."""
    for tabs in page_article.select(".tabbed-set"):
        if "$ ps -eLf | head -1" in tabs.get_text():
            return tabs
    raise AssertionError("no tabbed block shows the ps commands as typed")


@pytest.mark.parametrize("language", LANGUAGES)
def test_ps_shows_thread_rows_and_counts_them_per_process(built: BuiltSite, language: str) -> None:
    output = transcript(article(built.page(PRIMER.url(language)))).select("pre")[0].get_text()
    commands = [line for line in output.splitlines() if line.startswith("$ ")]
    assert [command.split(" | ")[0] for command in commands] == ["$ ps -eLf"] * 3, commands
    assert commands[1].endswith("| grep -v grep") and commands[2].endswith("| uniq -c")
    header, *lines = output.split(commands[0] + "\n", 1)[1].strip("\n").split("\n")
    assert header.split()[:6] == ["UID", "PID", "PPID", "LWP", "C", "NLWP"]
    rows = [line.split() for line in lines if "thread-demo.py" in line and line[:2] != "$ "]
    threads_by_pid: dict[str, set[str]] = {}
    for row in rows:
        pid, lwp, nlwp = row[1], row[3], int(row[5])
        assert nlwp > 1, f"a thread row of a single-threaded process: {row}"
        threads_by_pid.setdefault(pid, set()).add(lwp)
    assert sorted(len(lwps) for lwps in threads_by_pid.values()) == [3, 5]
    counts = sorted(
        (int(count), pid) for count, pid in re.findall(r"^\s+(\d+) (\d+)$", output, re.M)
    )
    assert [count for count, _ in counts] == [3, 5], "uniq -c does not count the thread rows"
    assert {pid for _, pid in counts} == set(threads_by_pid)


@pytest.mark.parametrize("language", LANGUAGES)
def test_reader_first_sees_the_commands_and_the_preparation_is_one_tab_away(
    built: BuiltSite, language: str
) -> None:
    tabs = transcript(article(built.page(PRIMER.url(language))))
    labels = [label.get_text() for label in tabs.select(".tabbed-labels label")]
    assert labels == list(TRANSCRIPT_TABS[language])
    opens_on = [tab.has_attr("checked") for tab in tabs.select("input")]
    assert opens_on == [True, False], "the commands and their output are not the tab shown"
    first, full = (block.get_text() for block in tabs.select(".tabbed-block"))
    assert first.lstrip().startswith("$ ps -eLf | head -1"), "the first tab opens on no command"
    # Nothing that ran is left out of the code tab: the heredoc, the processes, the cleanup.
    [fence] = [f for f in fences(doc(language, SOURCE)) if "thread-demo.py" in f.code]
    for line in fence.code.strip().splitlines():
        assert line in full, f"the code tab leaves out {line!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_namespaces_cgroup_and_open_files_limit_come_from_the_build_machine(
    built: BuiltSite, language: str
) -> None:
    page = built.page(PRIMER.url(language))
    namespaces = output_after(page, "ls -l /proc/$pid/ns")
    for kind in ("mnt", "net", "pid", "user", "uts"):
        assert re.search(rf"{kind} -> {kind}:\[\d+\]", namespaces), namespaces
    cgroup = output_after(page, "cat /proc/$pid/cgroup")
    assert re.search(r"^\d+:[\w,=]*:/", cgroup, re.M), cgroup
    limits = re.findall(r"^/sys/fs/cgroup/\S+/(memory\.\w+|pids\.max): (\S+)", cgroup, re.M)
    assert limits, f"no limit read from the cgroup file system:\n{cgroup}"
    open_files = output_after(page, "ulimit -n").split()
    assert open_files[0].isdigit() or open_files[0] == "unlimited"
    assert "Max open files" in output_after(page, "ulimit -n")


@pytest.mark.parametrize("language", LANGUAGES)
def test_cgroup_block_names_the_layout_its_lines_show(built: BuiltSite, language: str) -> None:
    """v1, v2 or hybrid: the layout line must fit the lines of /proc/<PID>/cgroup above it."""
    cgroup = output_after(built.page(PRIMER.url(language)), "cat /proc/$pid/cgroup")
    [layout] = [name for name, line in LAYOUTS[language].items() if line in cgroup]
    v1_lines = re.findall(r"^\d+:[^:\n]+:/", cgroup, re.M)
    v2_line = re.search(r"^0::/", cgroup, re.M)
    if layout == "v2":
        assert v2_line and not v1_lines, cgroup
    elif layout == "hybrid":
        assert v2_line and v1_lines, cgroup
    else:
        assert v1_lines, cgroup


@pytest.mark.parametrize("language", LANGUAGES)
def test_pid_namespace_block_shows_pid_1_or_says_why_not(built: BuiltSite, language: str) -> None:
    output = output_after(built.page(PRIMER.url(language)), "unshare $flags sh -c")
    if PID_NAMESPACE_SEEN[language] in output:
        inner, outer = re.findall(r"^pid:\[(\d+)\]$", output, re.M)
        assert inner != outer, "the inner shell is not in a PID namespace of its own"
    else:
        assert PID_NAMESPACE_REFUSED[language] in output, output


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_live_output_names_system_interpreter_and_time(
    built: BuiltSite, language: str
) -> None:
    page = built.page(PRIMER.url(language))
    found = [footer for footer in footers(page) if not footer.recorded]
    live = [f for f in fences(doc(language, SOURCE)) if f.runs and 'freeze="on"' not in f.header]
    assert len(found) == len(live) == 5
    for footer in found:
        assert f"(kernel {platform.release()})" in footer.text
        assert re.search(r"\b(bash|CPython) \d+\.\d+", footer.text), footer.text
        assert footer.moment is not None
    assert not article(page).select(".fencerun-failure, .fencerun-not-executed")


@pytest.mark.parametrize("language", LANGUAGES)
def test_docker_ps_is_shown_as_recorded_never_as_live(built: BuiltSite, language: str) -> None:
    [docker] = [fence for fence in fences(doc(language, SOURCE)) if fence.code == "docker ps\n"]
    assert 'freeze="on"' in docker.header and 'id="docker-ps"' in docker.header
    recording = yaml.safe_load(RECORDINGS.joinpath(language, SOURCE, "docker-ps.yml").read_text())
    assert recording["code"].strip() == "docker ps"
    assert recording["result"]["provenance"]["started_at"] == "2023-03"

    page = built.page(PRIMER.url(language))
    [shown] = [
        b for b in article(page).select("div.highlight") if "httpd-foreground" in b.get_text()
    ]
    source = shown.find_previous_sibling("div")
    title = source.select_one(".filename") if source is not None else None
    assert title is not None and RECORDED_LABEL[language] in title.get_text()
    footer = shown.find_next_sibling()
    assert footer is not None and "fencerun-recorded" in (footer.get("class") or [])
    assert footer.get_text() == f"{RECORDED_ON[language]} 2023-03"
    assert platform.node() not in footer.get_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_100_replica_deployment_is_valid_yaml_and_never_runs(language: str) -> None:
    deployments = [fence for fence in fences(doc(language, SOURCE)) if fence.language == "yaml"]
    assert len(deployments) == 1
    assert not deployments[0].runs
    manifest = yaml.safe_load(deployments[0].code)
    assert manifest["kind"] == "Deployment"
    assert manifest["apiVersion"] == "apps/v1"
    assert manifest["spec"]["replicas"] == 100
    labels = manifest["spec"]["template"]["metadata"]["labels"]
    assert manifest["spec"]["selector"]["matchLabels"] == labels
