"""Wording a careful reading found wrong in the posts stays fixed, in both languages.

Each entry is a phrase that once read badly (a broken agreement, a dangling reference,
English word order in Korean) and must not come back in the post's Markdown.
"""

from __future__ import annotations

import re

import pytest

from tests.posts.live_blocks import doc

RETROSPECTIVE = "blog/posts/2023-retrospective.md"
CAREER = "blog/posts/from-naver-cloud-to-millie.md"
NAMESPACES = "kb/namespaces-and-cgroups.md"
PRIMER = "blog/posts/linux-and-containers-for-new-engineers.md"
XOR = "blog/posts/xor-swap-experiment.md"

FIXED = [
    # "단 한 번" needs 도 before a negative.
    ("ko", RETROSPECTIVE, "단 한 번 싫은"),
    # 지시는 ... 방식이면 된다: subject and predicate do not agree.
    ("ko", RETROSPECTIVE, "지시는 딱 한 가지 방식이면 된다"),
    ("en", RETROSPECTIVE, "I need only one way of giving direction"),
    # A sentence joined by 였고 and then 그런데도 in the same breath.
    ("ko", RETROSPECTIVE, "보낸 해였고, 그런데도"),
    ("en", RETROSPECTIVE, "and\nyet a year that left"),
    # "Yes, I'm showing off a little", translated word for word.
    ("ko", RETROSPECTIVE, "그렇다, 살짝 자랑이다"),
    ("en", RETROSPECTIVE, "Yes, I'm showing off"),
    # Two 느끼기를 hung on one 바랐다, with an awkward 엔지니어로서 내가 있다는.
    ("ko", CAREER, "엔지니어로서 내가 있다는"),
    ("ko", CAREER, "느끼기를, 옆에"),
    ("en", CAREER, "my simply being in the same company as an engineer"),
    # Memory limits are written per container, not given to a pod.
    ("ko", NAMESPACES, "파드에 `resources.limits.memory`를 주면"),
    ("en", NAMESPACES, "`resources.limits.memory` on a pod"),
    # A namespace is a kernel mechanism, not a device.
    ("ko", PRIMER, "떼어 놓는 장치"),
    ("en", PRIMER, "a device for keeping processes apart"),
    # 물론 twice in a row.
    ("ko", PRIMER, "(물론 저는 아닙니다"),
    ("en", PRIMER, "Rub along with Linux"),
    # The XOR post opened on "Around then" with nothing before it.
    ("ko", XOR, "그러던 중에"),
    ("en", XOR, "Around then"),
    # "The saying ..., and pr0gr4m, were right": a saying and a person as one subject.
    ("ko", XOR, "느리다는 말, 그리고 pr0gr4m 님 말씀이 맞았다"),
    ("en", XOR, "The saying that XOR swap is slower, and pr0gr4m, were right"),
]


def _prose(language: str, source: str) -> str:
    """The Markdown with whitespace runs as single spaces: a line break hides no phrase."""
    return re.sub(r"\s+", " ", doc(language, source).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("language", "source", "phrase"), FIXED)
def test_fixed_wording_does_not_come_back(language: str, source: str, phrase: str) -> None:
    assert re.sub(r"\s+", " ", phrase) not in _prose(language, source)
