"""A small replica of Sarawak's other-language press, served over HTTP on 127.0.0.1 for end-to-end crawls:

* ``zhdaily`` and ``zhtimes``: two Simplified-Chinese dailies on a theme unlike the English/Malay replica's
  (a "classic newspaper" layout: ``div.news-content``, a share bar "分享到：", an "相关新闻" list, an ad label
  "广告"). ``zhdaily``'s theme declares ``<html lang="en-US">`` (a theme default), so the language must come from
  the text. ``zhtimes`` republishes a wire story of ``zhdaily`` re-edited, and runs a story of the same stock
  format about another town (tests/story_eval/chinese.py makes both pairs).
* ``ibanpages``: a Malay daily with an Iban section under ``/iban/`` (the outlet's ``language_sections`` hint) and
  one Iban article filed under a Malay section (found by its words).

Every site has robots.txt naming its sitemap, a sitemap of its articles, a homepage linking them, and article
pages with JSON-LD NewsArticle. ``EXPECTED`` lists what the archive must hold afterwards.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.story_eval.chinese import pairs

_PAIRS = pairs()
_WIRE = next(p for p in _PAIRS if p.kind == "wire_edit" and p.fmt == "flood")
_TEMPLATED = next(p for p in _PAIRS if p.kind == "templated" and p.fmt == "contractor")

IBAN_1 = ("Menteri Pemansang Menua ngumbai pengawa baru nya deka dipejalaika taun tu. Iya madahka sida ti diau ba "
          "rumah panjai ba menua Kapit deka bulih bantu ari perintah.\nNyadi, pemansang jalai raya nya ngambi orang "
          "ke diau di menua nya ulih mansang. Nadai siku ari sida ti nyangkal pengawa nya, laban semua orang deka "
          "meda menua sida mansang enggau manah.")
IBAN_2 = ("Tuai rumah panjai ba Song madahka sida deka ngintu pesta Gawai enggau mayuh pengabang taun tu. Iya "
          "ngasuh semua bala anembiak ti gawa ba nengeri bukai pulai ngagai rumah panjai.\nLaban ujan lebat maya "
          "diatu, sida mega ngasuh orang ti datai ngena perau ngintu diri. Nadai utai ti tau ngemansutka pengawa "
          "nya, ku iya, laban kitai semua sama bisi tanggung pengawa.")
MALAY = ("Kerajaan negeri akan membina dua buah jambatan baharu di Kapit bagi memudahkan perjalanan penduduk luar "
         "bandar ke pekan.\nMenteri berkata kerja-kerja pembinaan dijangka bermula pada bulan hadapan dan siap "
         "dalam tempoh dua tahun. Penduduk setempat menyambut baik keputusan itu kerana perjalanan ke sekolah dan "
         "klinik kini mengambil masa berjam-jam.")


@dataclass(frozen=True)
class Page:
    outlet: str
    path: str
    title: str
    text: str  # paragraphs, one per line
    published: str
    section: str
    language: str  # what the archive must say


PAGES = [
    Page("zhdaily", "/news/1001/", "古晋南市拨款提升沟渠",
         "（古晋4日讯）古晋南市市政厅今日宣布，将拨款300万令吉提升市区沟渠系统，以减少雨季时的闪电水灾。\n"
         "市长表示，工程将分三个阶段进行，第一阶段预计在明年三月完成，涉及市中心一带的主要沟渠。\n"
         "他说，市政厅也将加强清理沟渠的工作，并呼吁商家不要把垃圾丢进沟渠，以免造成阻塞。",
         "2024-03-04T10:00:00+08:00", "地方", "zh"),
    Page("zhdaily", "/news/1002/", "诗巫水灾灾民人数上升", _WIRE.a.text, "2024-03-05T09:00:00+08:00", "地方", "zh"),
    Page("zhdaily", "/news/1003/", "承包商接获警告信", _TEMPLATED.a.text, "2024-03-06T11:00:00+08:00", "地方", "zh"),
    Page("zhdaily", "/news/1004/", "收藏家办古董展",
         "本地收藏家今日起在诗巫举办古董展览，展出超过两百件晋代及明代瓷器，吸引不少民众前往参观。\n"
         "主办单位表示，这些瓷器大部分是从民间收集而来，其中一些已有一千多年历史，十分珍贵。\n"
         "展览将持续一个星期，开放时间为每天上午十时至晚上九时，入场免费，欢迎公众前往欣赏。",
         "2024-03-07T15:00:00+08:00", "文化", "zh"),
    Page("zhtimes", "/a/2001/", "水灾：疏散中心灾民增加", _WIRE.b.text, "2024-03-05T13:00:00+08:00", "砂州", "zh"),
    Page("zhtimes", "/a/2002/", "承包商工程延误被警告", _TEMPLATED.b.text, "2024-03-06T16:00:00+08:00", "砂州", "zh"),
    Page("zhtimes", "/a/2003/", "访问团抵达古晋",
         "州政府访问团一行二十人今日下午乘搭班机抵达，受到地方领袖的热烈欢迎，双方随后举行了交流会。\n"
         "访问团团长表示，此行的目的是了解当地的发展情况，并探讨在教育和旅游方面的合作机会。\n"
         "访问团将在三天内参观多个景点和学校，并与商会代表会面，最后一站是古晋",
         "2024-03-08T18:00:00+08:00", "砂州", "zh"),
    Page("ibanpages", "/iban/3001/", "Pengawa baru ba menua Kapit", IBAN_1, "2024-03-05T08:00:00+08:00", "Iban",
         "iba"),
    Page("ibanpages", "/berita/3002/", "Pesta Gawai ba rumah panjai", IBAN_2, "2024-03-06T08:00:00+08:00", "Sarawak",
         "iba"),
    Page("ibanpages", "/berita/3003/", "Dua jambatan baharu untuk Kapit", MALAY, "2024-03-06T09:00:00+08:00",
         "Sarawak", "ms"),
]
OUTLETS = {"zhdaily": "诗华新闻", "zhtimes": "国际新闻", "ibanpages": "Berita Borneo"}
DECLARED = {"zhdaily": "en-US", "zhtimes": "zh-CN", "ibanpages": "ms-MY"}  # zhdaily: the theme's wrong default


def _article_html(page: Page) -> str:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": page.title,
          "datePublished": page.published, "articleSection": page.section}
    body = "".join(f"<p>{escape(p)}</p>" for p in page.text.splitlines())
    if page.outlet.startswith("zh"):
        related = "".join(f'<li><a href="{p.path}">{escape(p.title)}</a></li>' for p in PAGES
                          if p.outlet == page.outlet and p.path != page.path)
        body = (f'<div class="ad-label">广告</div>{body}<p>分享到：微信 微博 Facebook</p>'
                f"<p>相关新闻：</p><ul>{related}</ul>")
    return (f'<!DOCTYPE html><html lang="{DECLARED[page.outlet]}"><head><meta charset="utf-8">'
            f"<title>{escape(page.title)} - {OUTLETS[page.outlet]}</title>"
            f'<meta property="og:type" content="article">'
            f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script></head>'
            f'<body class="single news-single"><header class="masthead"><a href="/">{OUTLETS[page.outlet]}</a></header>'
            f'<div class="container"><div class="news-main"><h1 class="news-title">{escape(page.title)}</h1>'
            f'<div class="news-meta"><span class="news-date">{page.published[:10]}</span> '
            f'<span class="news-cat">{escape(page.section)}</span></div>'
            f'<div class="news-content">{body}</div></div></div>'
            f'<footer class="site-footer">© 2024 {OUTLETS[page.outlet]}</footer></body></html>')


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        outlet, root = self.server.outlet, self.server.root  # type: ignore[attr-defined]
        path = self.path.split("?")[0]
        mine = [p for p in PAGES if p.outlet == outlet]
        status, ctype, body = 404, "text/html; charset=utf-8", "<html><body>Not found</body></html>"
        if path == "/robots.txt":
            status, ctype, body = 200, "text/plain", f"User-agent: *\nDisallow:\nSitemap: {root}sitemap.xml\n"
        elif path == "/sitemap.xml":
            urls = "".join(f"<url><loc>{root}{p.path.lstrip('/')}</loc><lastmod>{p.published}</lastmod></url>"
                           for p in mine)
            status, ctype = 200, "application/xml"
            body = f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        elif path == "/":
            links = "".join(f'<li><a href="{p.path}">{escape(p.title)}</a></li>' for p in mine)
            status, body = 200, f"<html><body><ul>{links}</ul></body></html>"
        else:
            found = next((p for p in mine if p.path == path), None)
            if found:
                status, body = 200, _article_html(found)
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


class LanguageReplica:
    """``with LanguageReplica() as rep: rep.outlets_json()``: the three sites on 127.0.0.1-3, free ports."""

    def __init__(self) -> None:
        self.servers = {}
        # one loopback address per outlet: outlets.json scopes an outlet by host (domains), not by port
        for n, key in enumerate(OUTLETS, 1):
            srv = ThreadingHTTPServer((f"127.0.0.{n}", 0), _Handler)
            srv.daemon_threads = True
            srv.outlet, srv.root = key, f"http://127.0.0.{n}:{srv.server_address[1]}/"
            self.servers[key] = srv

    def __enter__(self) -> LanguageReplica:
        for srv in self.servers.values():
            threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        for srv in self.servers.values():
            srv.shutdown()
            srv.server_close()

    def root(self, key: str) -> str:
        return self.servers[key].root

    def outlets_json(self) -> dict:
        """An outlets file for these sites, as a researcher would write it (hints, no selectors)."""
        records = []
        for key, name in OUTLETS.items():
            zh = key.startswith("zh")
            hints = {"timezone": "+08:00", "language": "zh" if zh else "ms"}
            if not zh:
                hints["language_sections"] = {"iban": "iba"}
            host = self.servers[key].server_address[0]
            records.append({"key": key, "name": name, "homepage": self.root(key), "domains": [host],
                            "language": hints["language"], "sitemaps": [], "feeds": [], "hints": hints})
        return {"outlets": records}

    def url(self, page: Page) -> str:
        return self.root(page.outlet) + page.path.lstrip("/")
