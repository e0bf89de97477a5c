"""Reading time counts Korean words whole."""

from __future__ import annotations

from blog_i18n.readtime import count_words, reading_minutes


def test_korean_word_with_particles_and_punctuation_counts_once() -> None:
    assert count_words("컨테이너(container)는 결국 프로세스다.") == 3
    assert count_words("0.045초, 1,000,000번") == 2


def test_inline_markup_inside_a_word_does_not_split_it() -> None:
    html = "<p><strong>리눅스</strong>를 <code>ps</code>로 본다</p>"
    # 3 words at 3 words a minute: one minute, not two.
    assert reading_minutes(html, words_per_minute=3) == 1


def test_paragraphs_and_list_items_separate_words() -> None:
    html = "<p>하나</p><p>둘</p><ul><li>셋</li><li>넷</li></ul>"
    assert reading_minutes(html, words_per_minute=2) == 2


def test_korean_text_reads_at_the_korean_rate() -> None:
    paragraph = "<p>" + " ".join(["컨테이너(container)는"] * 400) + "</p>"
    # 400 Korean words at 200 a minute; Material's \W+ split counts 1,200.
    assert reading_minutes(paragraph, words_per_minute=200) == 2


def test_code_listings_are_not_counted_as_reading() -> None:
    output = "<pre><code>" + "root 1 0 0 ?\n" * 500 + "</code></pre>"
    assert reading_minutes("<p>짧은 글</p>" + output, words_per_minute=200) == 1


def test_images_add_time_as_in_material() -> None:
    text = "<p>" + "단어 " * 100 + "</p>"
    # 30 s of reading plus 12 + 11 + 10 s for three images: two minutes.
    assert reading_minutes(text + "<img src='a.png'>" * 3, words_per_minute=200) == 2
    assert reading_minutes(text, words_per_minute=200) == 1
