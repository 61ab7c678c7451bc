"""Languages beyond English and Malay: Chinese pages are 'zh'; Iban pages are 'iba' (ISO 639-3: Iban has no 639-1
code) by the outlet's section hint or by their words, and Malay text is not taken for Iban."""

from __future__ import annotations

from newscrawl.extract import extract_article, section_language
from newscrawl.extract.language import IBAN_MIN_SHARE, decide, iban_share, iso639_1
from tests.story_eval.corpus import pairs

IBAN = ("Menteri Pemansang Menua ngumbai pengawa baru nya deka dipejalaika taun tu. Iya madahka sida ti diau ba "
        "rumah panjai ba menua Kapit deka bulih bantu ari perintah. Nyadi, pemansang jalai raya nya ngambi orang ke "
        "diau di menua nya ulih mansang. Nadai siku ari sida ti nyangkal pengawa nya, laban semua orang deka meda "
        "menua sida mansang enggau manah.")
MALAY = ("Menteri Pembangunan Luar Bandar berkata projek baharu itu akan dilaksanakan tahun ini. Beliau berkata "
         "penduduk yang tinggal di rumah panjang di Kapit akan menerima bantuan daripada kerajaan. Jalan raya itu "
         "dibina supaya penduduk di kawasan itu dapat maju. Tiada seorang pun yang menolak projek itu kerana semua "
         "mahu melihat kawasan mereka maju dengan baik.")


def test_iban_code_and_detection() -> None:
    assert iso639_1("iba") == "iba" and iso639_1("zh-Hans-MY") == "zh"
    assert decide(None, IBAN, "ms") == "iba"  # the words, on a Malay outlet without a section hint
    assert decide("en-US", IBAN, None) == "iba"  # a theme's wrong declaration
    assert decide(None, MALAY, "ms") == "ms"
    assert decide("iba", "Pengawa baru.", None) == "iba"  # too short to judge: the declaration stands


def test_malay_text_is_not_taken_for_iban() -> None:
    shares = [iban_share(a.text) for p in pairs() for a in (p.a, p.b) if a.language == "ms"]
    assert len(shares) >= 500
    assert max(shares) < IBAN_MIN_SHARE / 4  # measured 0.0105 against 0.06


def test_section_hint() -> None:
    hints = {"language": "ms", "language_sections": {"Iban": "iba"}}
    assert section_language(hints, "https://www.utusanborneo.com.my/iban/2024/03/x", None) == "iba"
    assert section_language(hints, "https://www.utusanborneo.com.my/2024/03/x", "IBAN") == "iba"
    assert section_language(hints, "https://www.utusanborneo.com.my/2024/03/x", "Sarawak") is None
    page = (f"<html lang='ms'><head><title>Pengawa</title><meta property='og:type' content='article'></head><body><article><h1>Pengawa baru</h1>"
            f"<p>{MALAY}</p></article></body></html>")
    assert extract_article(page, "https://www.utusanborneo.com.my/iban/2024/03/x", hints=hints)["language"] == "iba"
    assert extract_article(page, "https://www.utusanborneo.com.my/2024/03/x", hints=hints)["language"] == "ms"


def test_chinese_page() -> None:
    text = "（古晋4日讯）古晋南市市政厅今日宣布，将拨款300万令吉提升市区沟渠系统，工程预计明年完成。" * 3
    page = f"<html lang='en-US'><head><meta property='og:type' content='article'></head><body><article><h1>古晋市议会提升沟渠</h1><p>{text}</p></article></body></html>"
    got = extract_article(page, "https://news.seehua.com/?p=1", hints={"language": "zh"})
    assert got["language"] == "zh"
    assert got["is_article"]  # ~130 characters: long enough as Chinese (a character is 1/1.8 word)
