"""Leftover boilerplate lines are dropped; prose that merely mentions the same words is kept."""

from lxml.html import fromstring

from newscrawl.extract.body import clean_lines, prune_tree


def test_short_boilerplate_lines_dropped():
    text = "\n".join(["First paragraph of the story.", "- Advertisement -", "Iklan", "Share this:", "Kongsi",
                      "Facebook Twitter WhatsApp Telegram", "Follow:", "Subscribe to our newsletter", "Baca juga: x",
                      "Second paragraph.", "© 2024 Example. All rights reserved."])
    assert clean_lines(text) == "First paragraph of the story.\nSecond paragraph."


def test_prose_with_the_same_words_is_kept():
    prose = ("Police said the two incidents were related and advised the public to share information "
             "on the suspects through the hotline rather than on Facebook or WhatsApp.")
    assert clean_lines(prose) == prose


def test_trailing_related_block_dropped():
    text = "Body one.\nBody two.\nRelated Posts\nSome headline\nAnother headline"
    assert clean_lines(text) == "Body one.\nBody two."


def test_related_block_inside_body_pruned():
    tree = fromstring("<html><body><div class='entry-content'><p>One.</p><h3>Berita Berkaitan</h3>"
                      "<ul><li><a href='/a'>A headline</a></li></ul><p>Baca juga: <a href='/b'>B headline</a></p>"
                      "<div class='jp-relatedposts'>x</div><p>Two.</p></div></body></html>")
    prune_tree(tree)
    assert [p.text_content() for p in tree.iter("p", "li", "h3")] == ["One.", "Two."]


def test_article_body_container_is_never_pruned():
    tree = fromstring("<html><body><div class='sidebar'><div itemprop='articleBody'><p>Body.</p></div></div>"
                      "</body></html>")
    prune_tree(tree)
    assert tree.findtext(".//p") == "Body."
