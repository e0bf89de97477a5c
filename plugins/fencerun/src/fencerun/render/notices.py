"""The small HTML pieces around an output: provenance footer, failure box, not-executed notice,
truncation note; and every word fencerun shows readers (these and the figures' labels).
Korean pages get Korean text, every other language English."""

from __future__ import annotations

import sys
from datetime import datetime
from html import escape

from fencerun.errors import BlockFailure
from fencerun.model import Provenance, Result
from fencerun.render.ansi import ansi_to_html
from fencerun.render.markup import clean

_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "ran": "Ran on",
        "recorded": "Recorded on",
        "took": "took",
        "failed": "This block failed",
        "hint": "Hint",
        "no_output": "(no output)",
        "not_executed": "Not executed",
        "not_executed_body": (
            "This site was built with code execution turned off, and no stored result "
            "exists for this block, so its output is missing here."
        ),
        "not_run_here": "Not run on this machine",
        "not_run_here_body": (
            "This block runs on {needed} only, and this site was built on {system}; no "
            "stored result exists for it here. The published site shows its output."
        ),
        "truncated": "Output cut: the block printed more than this site keeps.",
        "figure": "Figure {number} of the {language} block at {location}",
        "figure_unshown": "not shown, it is not an SVG document fencerun can show",
    },
    "ko": {
        "ran": "실행 환경:",
        "recorded": "기록된 결과:",
        "took": "소요",
        "failed": "이 블록은 실패했습니다",
        "hint": "도움말",
        "no_output": "(출력 없음)",
        "not_executed": "실행하지 않음",
        "not_executed_body": (
            "이 사이트는 코드 실행을 끈 채로 빌드되었고 이 블록의 저장된 결과도 없어서, "
            "여기에 출력이 빠져 있습니다."
        ),
        "not_run_here": "이 기기에서는 실행하지 않음",
        "not_run_here_body": (
            "이 블록은 {needed}에서만 실행되는데 이 사이트는 {system}에서 빌드되었고, "
            "여기에는 저장된 결과도 없습니다. 게시된 사이트에서는 출력이 보입니다."
        ),
        "truncated": "출력이 잘렸습니다. 이 블록은 사이트가 보관하는 크기보다 많이 출력했습니다.",
        "figure": "그림 {number}: {location}의 {language} 블록",
        "figure_unshown": "SVG 문서가 아니어서 보여 줄 수 없습니다",
    },
}


def texts(locale: str) -> dict[str, str]:
    return _TEXTS["ko"] if locale.lower().startswith("ko") else _TEXTS["en"]


def provenance_footer(result: Result, locale: str) -> str:
    """One unobtrusive line: the system and interpreter the output came from, when, and how
    long it took."""
    provenance = result.provenance
    if provenance is None:
        return ""
    words = texts(locale)
    recorded = result.origin == "frozen"
    lead = words["recorded"] if recorded else words["ran"]
    css = "fencerun-provenance fencerun-recorded" if recorded else "fencerun-provenance"
    parts = [
        escape(provenance.os),
        escape(provenance.interpreter),
        _time(provenance),
    ]
    if provenance.duration_s:
        parts.append(f"{words['took']} {escape(format_duration(provenance.duration_s))}")
    # A recording made without the block at hand knows no interpreter or duration.
    return f'<p class="{css}">{lead} ' + " · ".join(part for part in parts if part) + "</p>"


def _time(provenance: Provenance) -> str:
    try:
        moment = datetime.fromisoformat(provenance.started_at)
    except ValueError:
        return escape(provenance.started_at)
    shown = moment.strftime("%Y-%m-%d %H:%M")
    offset = moment.strftime("%z")  # "+0900", or "" for a naive time
    if offset:
        shown += f" UTC{offset[:3]}:{offset[3:5]}"
    return f'<time datetime="{escape(provenance.started_at)}">{shown}</time>'


def format_duration(seconds: float) -> str:
    # The result store keeps milliseconds: rounding the same way first makes a reused result
    # read exactly as it did in the build that ran it.
    seconds = round(seconds, 3)
    # A no-break space keeps each number with its unit when the footer wraps.
    if seconds < 10:
        return f"{seconds:.2f}\u00a0s"
    if seconds < 60:
        return f"{seconds:.1f}\u00a0s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}\u00a0min {rest}\u00a0s"


def failure_box(failure: BlockFailure, locale: str) -> str:
    """A visible error in the page, for `mkdocs serve`, where a failure must not stop the server."""
    words = texts(locale)
    tail = failure.output_tail().strip("\n") or words["no_output"]
    reason, hint = _failure_words(failure, locale)
    return (
        '<div class="admonition failure fencerun-failure">'
        f'<p class="admonition-title">{words["failed"]}: '
        f"{escape(str(failure.block.location))}, {escape(reason)}</p>"
        f"<pre><code>{ansi_to_html(clean(tail))}</code></pre>"
        f"<p>{words['hint']}: {escape(hint)}</p>"
        "</div>"
    )


def _failure_words(failure: BlockFailure, locale: str) -> tuple[str, str]:
    if not locale.lower().startswith("ko"):
        return failure.reason, failure.hint
    result = failure.result
    if result.process_cap is not None:
        return (
            f"프로세스 상한({result.process_cap}개)에 닿았습니다 (포크 폭탄일까요?)",
            f"블록은 프로세스를 한 번에 {result.process_cap}개까지 둘 수 있습니다. 더 적게 "
            "띄우고, 새로 띄우기 전에 앞의 것을 기다리세요(셸에서는 `wait`)",
        )
    if result.timed_out:
        return (
            "제한 시간을 넘겨 중단되었습니다",
            '코드 블록 머리에 timeout="초"로 시간을 늘리거나 블록을 더 빠르게 고치세요',
        )
    code, expected = result.returncode, failure.block.options.returncode
    return (
        f"종료 코드: {code} (기대한 코드: {expected})",
        f'이 종료 코드가 의도한 결과라면 코드 블록 머리에 returncode="{code}" 옵션을 적으세요',
    )


def block_error_box(message: str, locale: str) -> str:
    """A malformed fence, shown at the top of its page under `mkdocs serve`."""
    return (
        '<div class="admonition failure fencerun-failure">'
        f'<p class="admonition-title">{texts(locale)["failed"]}</p>'
        f"<pre><code>{escape(message)}</code></pre></div>"
    )


_SYSTEM_NAMES = {"linux": "Linux", "darwin": "macOS"}


def _system_name(platform: str) -> str:
    return next(
        (name for prefix, name in _SYSTEM_NAMES.items() if platform.startswith(prefix)), platform
    )


def not_run_here_notice(needed: str, locale: str) -> str:
    """For a block whose `os` option names another system than the build's."""
    words = texts(locale)
    body = words["not_run_here_body"].format(
        needed=_system_name(needed), system=_system_name(sys.platform)
    )
    return (
        '<div class="admonition warning fencerun-not-executed">'
        f'<p class="admonition-title">{words["not_run_here"]}</p>'
        f"<p>{escape(body)}</p>"
        "</div>"
    )


def not_executed_notice(locale: str) -> str:
    words = texts(locale)
    return (
        '<div class="admonition warning fencerun-not-executed">'
        f'<p class="admonition-title">{words["not_executed"]}</p>'
        f"<p>{words['not_executed_body']}</p>"
        "</div>"
    )


def truncated_note(locale: str) -> str:
    return f'<p class="fencerun-truncated">{texts(locale)["truncated"]}</p>'
