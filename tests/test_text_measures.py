"""Text measures per script (newscrawl/text.py): English and Malay tokenise exactly as before (so near-duplicate
signatures of existing archives are unchanged); a CJK character is a token of its own and 1/1.8 of a word."""

from __future__ import annotations

import re

from newscrawl.text import cjk_share, has_cjk, length_for_minimum, tokens, word_count
from tests.story_eval.corpus import pairs


def test_latin_text_tokenises_as_before() -> None:
    texts = [a.text.casefold() for p in pairs() for a in (p.a, p.b)]
    assert len(texts) > 1000
    assert all(tokens(t) == re.findall(r"\w+", t) for t in texts)
    assert all(length_for_minimum(t) == len(t) for t in texts[:50])


def test_cjk_measures() -> None:
    assert tokens("砂拉越Kuching市议会2024年") == ["砂", "拉", "越", "Kuching", "市", "议", "会", "2024", "年"]
    assert word_count("古晋市议会今天宣布") == 5  # 9 characters / 1.8
    assert word_count("Kuching 市议会") == 1 + 2
    assert has_cjk("Kuching 古晋") and not has_cjk("Kuching")
    assert cjk_share("古晋 ab") == 0.5
    assert length_for_minimum("古晋市议会今天宣布") == round(9 * 6.1 / 1.8)
