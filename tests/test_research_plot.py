"""`newscrawl attention --plot`: a PNG a person can read (axes, dates, outlets, legend); the data behind it."""

from __future__ import annotations

import struct
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine

from newscrawl.cli import main
from newscrawl.query import plot
from newscrawl.query.attention import attention
from tests import research_data
from tests.research_data import all_rows, brute_attention

pytest.importorskip("matplotlib")
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def gen_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('plot')}/gen.sqlite3"
    research_data.build(url)
    return url


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_attention_plot_file_and_data(gen_url: str, tmp_path) -> None:
    rows = attention(create_engine(gen_url), "banjir", by="month")
    out = tmp_path / "banjir.png"
    drawn = plot.attention(rows, str(out), by="month", normalise=False)
    assert _png_size(out) == (1320, 576) and out.stat().st_size > 20_000  # 11 x 4.8 in at 120 dpi, not blank
    assert drawn.legend == sorted(research_data.OUTLETS) and drawn.title == "Attention: “banjir”"
    assert (drawn.xlabel, drawn.ylabel) == ("publication month, Sarawak time", "matching stories per month")
    want = brute_attention(all_rows(gen_url), "banjir", "month")
    for outlet, points in drawn.series.items():
        assert [d for d, _ in points] == [date(2023, 11, 1), date(2023, 12, 1), date(2024, 1, 1), date(2024, 2, 1),
                                         date(2024, 3, 1), date(2024, 4, 1)]
        assert [y for _, y in points] == [want.get((outlet, f"{d:%Y-%m}"), 0) for d, _ in points]


def test_normalised_plot_of_two_queries(gen_url: str, tmp_path) -> None:
    rows = attention(create_engine(gen_url), ["banjir", "flood"], by="week", normalise=True)
    drawn = plot.attention(rows, str(tmp_path / "two.png"), by="week", normalise=True)
    assert drawn.ylabel == "% of the outlet's stories"
    assert drawn.legend[0] == "banjir · borneopost" and len(drawn.legend) == 8
    shares = {(r.query, r.outlet, r.start): r.share for r in rows}
    for label, points in drawn.series.items():
        query, outlet = label.split(" · ")
        assert all(y == (shares[(query, outlet, d)] or 0) * 100 and 0 <= y <= 100 for d, y in points)


def test_cli_writes_the_plot_and_refuses_to_overwrite(gen_url: str, tmp_path) -> None:
    out = tmp_path / "attention.png"
    args = ["attention", "banjir OR flood", "--by", "month", "--plot", str(out), "--archive", gen_url]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert _png_size(out) == (1320, 576)
    res = CliRunner().invoke(main, args)
    assert (res.exit_code, res.stderr) == (2, f"Error: {out} exists (use --force to overwrite)\n")
    res = CliRunner().invoke(main, [*args[:-2], "--plot", str(tmp_path / "noext"), "--archive", gen_url])
    assert res.exit_code == 2 and "needs an extension" in res.stderr
