"""Outlet hints: remove_selectors prune extra boilerplate, body_selector narrows the body, unknown keys ignored."""

from newscrawl.extract import extract_article

URL = "https://outlet.example.my/2024/03/05/story/"
PARAS = [f"KUCHING: Paragraph {i} reports what the state assembly decided about rural water supply today."
         for i in range(4)]


def page(extra_in_body):
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return ('<html lang="en"><head><meta property="og:type" content="article"><title>Water supply</title></head>'
            '<body class="single-post"><h1>Water supply</h1><div class="story">'
            f"{body[:len(body) // 2]}{extra_in_body}{body[len(body) // 2:]}</div>"
            '<div class="odd-widget"><p>Sidebar text that trafilatura might well keep because it is long enough '
            "to look like a paragraph of the article itself.</p></div></body></html>")


def test_remove_selectors():
    html = page('<div class="promo-xyz"><p>Get 50% off our premium digital subscription this week only!</p></div>')
    plain = extract_article(html, URL)
    assert "premium digital subscription" in plain["text"]
    hinted = extract_article(html, URL, hints={"remove_selectors": [".promo-xyz"], "unknown": 1})
    assert "premium digital subscription" not in hinted["text"]
    assert hinted["text"].split("\n")[0] == PARAS[0]


def test_body_selector():
    r = extract_article(page(""), URL, hints={"body_selector": "div.story"})
    assert r["text"] == "\n".join(PARAS)


def test_bad_selectors_are_ignored():
    r = extract_article(page(""), URL, hints={"body_selector": "div[[", "remove_selectors": ["::nope"]})
    assert r["is_article"] is True
