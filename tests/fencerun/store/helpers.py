"""Plain-data helpers shared by the store tests: blocks and results as the engine makes them."""

from __future__ import annotations

from collections.abc import Sequence

from fencerun.fences import find_blocks
from fencerun.keys import BlockKeys
from fencerun.model import Block, Figure, Provenance, Result


def page_keys(keys: BlockKeys, markdown: str, path: str = "page.md") -> list[str]:
    """The key of every block of a page, each with the earlier blocks of its session."""
    blocks = [found.block for found in find_blocks(markdown, path)]
    return [keys(block, session_prefix(blocks, block)) for block in blocks]


def session_prefix(blocks: Sequence[Block], block: Block) -> list[Block]:
    if not block.options.session:
        return []
    session = [b for b in blocks if b.options.session == block.options.session]
    return session[: session.index(block)]


def sample_result(output: str = "안녕하세요\nline two\n", *, returncode: int = 0) -> Result:
    return Result(
        output=output,
        returncode=returncode,
        truncated=True,
        figures=(Figure("<svg xmlns='http://www.w3.org/2000/svg'/>"),),
        provenance=Provenance(
            os="Linux 6.1",
            interpreter="CPython 3.11.7",
            started_at="2026-01-02T03:04:05+09:00",
            duration_s=0.25,
        ),
    )
