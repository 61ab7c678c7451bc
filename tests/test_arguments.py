import pytest

from newscrawl.dates import parse_since
from newscrawl.outlets import OutletError, load_outlets, parse_site_arg
from newscrawl.retry import retry_after_seconds


def test_site_roots_are_scoped_to_their_origin():
    first, second = parse_site_arg("http://127.0.0.1:8801/, http://127.0.0.1:8802")
    assert first.homepage == "http://127.0.0.1:8801/" and second.homepage == "http://127.0.0.1:8802/"
    assert first.in_scope("http://127.0.0.1:8801/2024/03/a/")
    assert not first.in_scope("http://127.0.0.1:8802/2024/03/a/")
    assert not first.in_scope("https://127.0.0.1:8801/a/")
    assert not first.in_scope("http://localhost:8801/a/")


@pytest.mark.parametrize("value", ["", "not a url", "ftp://example.com/", "http://:80/", "http://x:99999/"])
def test_bad_site_values_raise_a_user_message(value):
    with pytest.raises(OutletError, match="site"):
        parse_site_arg(value)


def test_since_parses_to_sarawak_midnight_and_rejects_garbage():
    assert parse_since("2024-03-05").isoformat() == "2024-03-05T00:00:00+08:00"
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_since("05/03/2024")


def test_builtin_outlets_cover_known_sarawak_outlets():
    outlets = {o.key: o for o in load_outlets()}
    assert {"borneopost", "sarawaktribune", "dayakdaily"} <= set(outlets)
    assert outlets["borneopost"].in_scope("https://www.theborneopost.com/2024/03/05/x/")
    assert not outlets["borneopost"].in_scope("https://dayakdaily.com/x/")


def test_retry_after_forms():
    assert retry_after_seconds(b"3") == 3.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds(b"soon") is None
    from datetime import datetime, timezone
    now = datetime(2024, 3, 5, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("Tue, 05 Mar 2024 12:00:30 GMT", now=now) == 30.0


def test_a_root_that_moves_to_https_or_www_keeps_its_scope_there():
    (outlet,) = parse_site_arg("http://example.com/")
    assert not outlet.in_scope("https://www.example.com/2024/03/a/")
    assert outlet.moved_to("https://www.example.com/")
    assert outlet.in_scope("https://www.example.com/2024/03/a/")
    assert outlet.in_scope("http://example.com/2024/03/a/")  # the original origin stays in scope
    assert not outlet.in_scope("https://other.com/a/")


def test_a_redirect_to_another_host_or_port_is_not_the_same_site():
    (outlet,) = parse_site_arg("http://127.0.0.1:8801/")
    assert not outlet.moved_to("http://127.0.0.1:8802/")
    assert not outlet.moved_to("http://localhost:8801/")
    (outlet,) = parse_site_arg("https://example.com/")
    assert not outlet.moved_to("https://example.org/")
    assert not outlet.moved_to("https://www.example.com:8443/")
    assert not outlet.in_scope("https://www.example.com:8443/a/")
