from newscrawl.urls import canonical_url, clean_url, url_variants


def test_tracking_parameters_and_fragment_removed():
    assert clean_url("https://www.Example.com/2024/03/a/?utm_source=fb&utm_medium=social&fbclid=XYZ#top") == (
        "https://www.example.com/2024/03/a/"
    )


def test_meaningful_query_kept():
    assert clean_url("https://example.com/?p=123&utm_campaign=x") == "https://example.com/?p=123"


def test_amp_variants_collapse():
    assert clean_url("https://example.com/2024/03/a/amp/") == "https://example.com/2024/03/a/"
    assert clean_url("https://example.com/2024/03/a/?amp=1") == "https://example.com/2024/03/a/"


def test_default_port_dropped_other_port_kept():
    assert clean_url("http://example.com:80/a/") == "http://example.com/a/"
    assert clean_url("http://127.0.0.1:8801/a/") == "http://127.0.0.1:8801/a/"


def test_unusable_urls():
    assert clean_url("mailto:news@example.com") is None
    assert clean_url("javascript:void(0)") is None
    assert clean_url("http://example.com:99999/") is None


def test_canonical_preferred_when_on_outlet():
    def in_scope(url):
        return url.startswith("https://example.com/")

    assert canonical_url("https://example.com/news/a/", "https://example.com/2024/03/a/", in_scope) == (
        "https://example.com/2024/03/a/"
    )
    # off-outlet canonical (syndication partner) and homepage canonical (theme bug) are ignored
    assert canonical_url("https://example.com/a/", "https://other.com/a/", in_scope) == "https://example.com/a/"
    assert canonical_url("https://example.com/a/", "https://example.com/", in_scope) == "https://example.com/a/"


def test_url_variants_keep_raw_and_clean_in_order_with_the_slash_twin():
    assert url_variants("https://example.com/a/", "https://example.com/a/?utm_source=x", None) == [
        "https://example.com/a/",
        "https://example.com/a/?utm_source=x",
        "https://example.com/a",
    ]
    assert url_variants("https://example.com/?p=1") == ["https://example.com/?p=1"]
