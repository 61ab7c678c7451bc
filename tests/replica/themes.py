"""Markup of the three WordPress themes the replica outlets wear.

* ``TagDiv``  - tagDiv "Newspaper" + Yoast SEO (The Borneo Post look): td-post-content, td-a-rec ads, JSON-LD @graph.
* ``Foxiz``   - Foxiz (DayakDaily look): entry-content rbct, ruby-related, "Follow:" widgets, OpenGraph dates.
* ``JNews``   - JNews-like Malay theme (Utusan Borneo look): "Oleh" bylines, Malay visible dates, "- Iklan -".

Every theme wraps the article paragraphs in the hostile furniture real outlets put *inside* the body container
(ads, "Also read", newsletter forms, captions, related blocks); the manifest's boilerplate list names those strings.
Themes only build strings; ``site.Site`` decides which page is served where.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .content import Article
    from .site import Site, StaticPage

EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
MS_MONTHS = ["Januari", "Februari", "Mac", "April", "Mei", "Jun", "Julai", "Ogos", "September", "Oktober",
             "November", "Disember"]


def e(text: str) -> str:
    return escape(text, quote=True)


def en_date(d: datetime) -> str:
    return f"{EN_MONTHS[d.month - 1]} {d.day}, {d.year}"


def en_time(d: datetime) -> str:
    return f"{d.hour % 12 or 12}:{d.minute:02d} {'am' if d.hour < 12 else 'pm'}"


def ms_datetime(d: datetime) -> str:
    """'5 Mac 2024, 3:15 petang' - how Malay outlets print dates (pagi < 12:00 <= petang < 19:00 <= malam)."""
    part = "pagi" if d.hour < 12 else "petang" if d.hour < 19 else "malam"
    return f"{d.day} {MS_MONTHS[d.month - 1]} {d.year}, {d.hour % 12 or 12}:{d.minute:02d} {part}"


def utc_iso(d: datetime) -> str:
    # Yoast prints OpenGraph times in UTC (+00:00) while its JSON-LD keeps the site offset: the same instant.
    return d.astimezone(timezone.utc).isoformat()


def jsonld(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json" class="yoast-schema-graph">{text}</script>'


class Theme:
    """Shared head/body scaffolding; subclasses supply the theme-specific blocks."""

    name = "base"
    lang_attr = "en-US"
    ad_label = "- Advertisement -"

    # ------------------------------------------------------------ head
    def head(self, site: Site, *, title: str, canonical: str, og_type: str, description: str,
             extra: list[str] = (), meta_charset: bool = True, robots: str = "index, follow") -> str:
        parts = []
        if meta_charset:
            parts.append('<meta charset="UTF-8">')
        parts += [
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(title)}</title>",
            f'<meta name="robots" content="{robots}, max-image-preview:large">',
            f'<link rel="canonical" href="{e(canonical)}">',
            f'<meta property="og:locale" content="{self.lang_attr.replace("-", "_")}">',
            f'<meta property="og:type" content="{og_type}">',
            f'<meta property="og:title" content="{e(title)}">',
            f'<meta property="og:description" content="{e(description)}">',
            f'<meta property="og:url" content="{e(canonical)}">',
            f'<meta property="og:site_name" content="{e(site.name)}">',
            f'<link rel="alternate" type="application/rss+xml" title="{e(site.name)} &raquo; Feed" '
            f'href="{site.url("/feed/")}">',
            *([f'<link rel="alternate" type="application/atom+xml" title="{e(site.name)} &raquo; Atom" '
               f'href="{site.url("/feed/atom/")}">'] if site.cfg["atom"] else []),
            f'<link rel="stylesheet" id="{self.name}-css" href="{site.url(f"/wp-content/themes/{self.name}/style.css")}'
            '?ver=12.6.1" type="text/css" media="all">',
            f'<script src="{site.url("/wp-includes/js/jquery/jquery.min.js")}?ver=3.7.1" id="jquery-core-js"></script>',
            f'<link rel="https://api.w.org/" href="{site.url("/wp-json/")}">',
            '<meta name="generator" content="WordPress 6.5.5">',
            *extra,
        ]
        return "\n".join(parts)

    def page(self, site: Site, head: str, body_class: str, body: str, lang: str | None = None) -> str:
        return (f'<!DOCTYPE html>\n<html lang="{lang or self.lang_attr}" prefix="og: https://ogp.me/ns#">\n<head>\n'
                f"{head}\n</head>\n<body class=\"{body_class}\">\n{body}\n{self.cookie_banner(site)}\n"
                f'<script src="{site.url("/wp-content/plugins/td-composer/js/tdb.min.js")}"></script>\n'
                "</body>\n</html>\n")

    # ------------------------------------------------------------ pieces the themes share
    def article_head(self, site: Site, art: Article, canonical: str, extra: list[str] = ()) -> str:
        img = site.image_url(art)
        meta = [
            f'<link rel="shortlink" href="{site.url(f"/?p={art.post_id}")}">',
            # the AMP plugin (every outlet here serves /amp/) declares the AMP twin in the head
            f'<link rel="amphtml" href="{site.article_url(art)}amp/">',
            f'<meta property="og:image" content="{img}">',
            '<meta property="og:image:width" content="1024"><meta property="og:image:height" content="683">',
            f'<meta name="author" content="{e(", ".join(art.authors))}">',
            '<meta name="twitter:card" content="summary_large_image">',
            f'<link rel="alternate" type="application/json" href="{site.url(f"/wp-json/wp/v2/posts/{art.post_id}")}">',
            *extra,
        ]
        return "\n".join(meta)

    def paragraphs_html(self, site: Site, art: Article) -> list[str]:
        out = []
        for i, para in enumerate(art.paragraphs):
            text = escape(para, quote=False)
            if i == 1 and ": " not in para[:12]:
                # Inline markup inside a paragraph must not split it: wrap the first three words in <strong>.
                words = text.split(" ")
                text = f"<strong>{' '.join(words[:3])}</strong> {' '.join(words[3:])}".rstrip()
            out.append(f"<p>{text}</p>")
        return out

    def body_with_furniture(self, site: Site, art: Article) -> str:
        """Paragraphs interleaved with the in-body junk every real outlet injects."""
        paras = self.paragraphs_html(site, art)
        blocks: list[str] = []
        also = site.also_read(art)
        for i, p in enumerate(paras):
            blocks.append(p)
            if i == 0:
                blocks.append(self.ad(site, 1))
            elif i == 1 and also is not None:
                blocks.append(self.also_read(site, also, art))
            elif i == 2:
                blocks.append(self.inline_figure(site, art))
            elif i == 3:
                blocks.append(self.newsletter(site))
            elif i == 4:
                blocks.append(self.ad(site, 2))
        blocks.append(self.related(site, site.related(art)))
        return "\n".join(blocks)

    def cookie_banner(self, site: Site) -> str:
        return (f'<div id="cookie-notice" role="dialog" class="cookie-notice-hidden" aria-label="Cookie Notice">'
                f'<div class="cookie-notice-container"><span id="cn-notice-text" class="cn-text-container">'
                f"{e(site.texts['cookie'])}</span><span id=\"cn-notice-buttons\"><a href=\"#\" id=\"cn-accept-cookie\" "
                f'class="cn-set-cookie cn-button">{e(site.texts["cookie_ok"])}</a><a href="{site.url(site.static_path("privacy"))}" '
                f'class="cn-privacy-policy-link">{e(site.texts["privacy"])}</a></span></div></div>')

    def footer(self, site: Site) -> str:
        others = " ".join(f'<a href="{root}" rel="noopener">{e(name)}</a>' for name, root in site.partners())
        statics = " ".join(f'<a href="{site.url(p.path)}">{e(p.title)}</a>' for p in site.static_pages)
        return (f'<footer class="site-footer"><div class="footer-partners"><span>{e(site.texts["partners"])}</span> '
                f'{others}</div><div class="footer-links">{statics} <a href="{site.url("/private/staff-directory/")}">'
                f'Staff</a></div><div class="footer-copyright">{e(site.texts["copyright"])}</div></footer>')

    def nav(self, site: Site) -> str:
        items = "".join(f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category">'
                        f'<a href="{site.url(site.category_path(slug))}">{e(name)}</a></li>'
                        for name, slug in site.sections)
        return (f'<ul id="menu-main-menu" class="menu"><li class="menu-item menu-item-home"><a href="{site.root}">'
                f'{e(site.texts["home"])}</a></li>{items}</ul>')

    def link_list(self, site: Site, arts: list[Article], cls: str = "") -> str:
        return "<ul>" + "".join(f'<li class="{cls}"><a href="{site.article_url(a)}" rel="bookmark">{e(a.title)}</a>'
                                f'</li>' for a in arts) + "</ul>"

    def teaser(self, site: Site, art: Article) -> str:
        return (f'<div class="post-teaser"><h3 class="entry-title"><a href="{site.article_url(art)}" rel="bookmark">'
                f'{e(art.title)}</a></h3><div class="meta"><span class="author">{e(", ".join(art.authors))}</span> '
                f'<time datetime="{art.published.isoformat()}">{self.visible_date(art)}</time></div>'
                f'<div class="excerpt">{e(art.summary)}</div></div>')

    def visible_date(self, art: Article) -> str:
        return en_date(art.published)

    def pagination(self, site: Site, base: str, page: int, npages: int) -> str:
        if npages <= 1:
            return ""
        links = []
        if page > 1:
            links.append(f'<a class="prev page-numbers" href="{site.url(site.page_path(base, page - 1))}">'
                         f'{e(site.texts["prev"])}</a>')
        for n in range(1, npages + 1):
            if n == page:
                links.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
            elif n <= 3 or n == npages or abs(n - page) <= 1:
                links.append(f'<a class="page-numbers" href="{site.url(site.page_path(base, n))}">{n}</a>')
        if page < npages:
            links.append(f'<a class="next page-numbers" href="{site.url(site.page_path(base, page + 1))}">'
                         f'{e(site.texts["next"])}</a>')
        return f'<nav class="navigation pagination" aria-label="Posts"><div class="nav-links">{"".join(links)}</div></nav>'

    # ------------------------------------------------------------ whole pages
    def article_page(self, site: Site, art: Article, canonical: str, meta_charset: bool = True) -> str:
        raise NotImplementedError

    def listing_page(self, site: Site, *, title: str, heading: str, canonical: str, body_class: str,
                     items: list[Article], page: int, npages: int, base: str, og_type: str = "website") -> str:
        extra = []
        if page > 1:
            extra.append(f'<link rel="prev" href="{site.url(site.page_path(base, page - 1))}">')
        if page < npages:
            extra.append(f'<link rel="next" href="{site.url(site.page_path(base, page + 1))}">')
        ld = {"@context": "https://schema.org", "@graph": [
            {"@type": "CollectionPage", "@id": canonical, "url": canonical, "name": title,
             "isPartOf": {"@id": site.root + "#website"}, "inLanguage": self.lang_attr},
            {"@type": "WebSite", "@id": site.root + "#website", "url": site.root, "name": site.name}]}
        head = self.head(site, title=title, canonical=canonical, og_type=og_type,
                         description=f"{heading} - {site.name}", extra=extra + [jsonld(ld)])
        teasers = "\n".join(self.teaser(site, a) for a in items)
        main = (f'<main id="main" class="site-main archive-main"><header class="page-header"><h1 class="page-title">'
                f'{e(heading)}</h1></header>\n{teasers}\n{self.pagination(site, base, page, npages)}</main>')
        return self.page(site, head, body_class, self.chrome(site, main))

    def static_page(self, site: Site, sp: StaticPage) -> str:
        canonical = site.url(sp.path)
        ld = {"@context": "https://schema.org", "@graph": [
            {"@type": "WebPage", "@id": canonical, "url": canonical, "name": f"{sp.title} - {site.name}",
             "isPartOf": {"@id": site.root + "#website"}, "datePublished": "2019-05-02T10:00:00+08:00",
             "dateModified": "2023-11-20T09:30:00+08:00", "inLanguage": self.lang_attr},
            {"@type": "WebSite", "@id": site.root + "#website", "url": site.root, "name": site.name}]}
        head = self.head(site, title=f"{sp.title} - {site.name}", canonical=canonical, og_type="website",
                         description=sp.paragraphs[0][:150], extra=[jsonld(ld)])
        body = "".join(f"<p>{e(p)}</p>" for p in sp.paragraphs)
        main = (f'<main id="main"><article id="post-{sp.page_id}" class="post-{sp.page_id} page type-page '
                f'status-publish"><h1 class="entry-title">{e(sp.title)}</h1><div class="entry-content">{body}</div>'
                f"</article></main>")
        return self.page(site, head, f"page-template-default page page-id-{sp.page_id}", self.chrome(site, main))

    def not_found_page(self, site: Site, path: str) -> str:
        head = self.head(site, title=f"{site.texts['nf_title']} - {site.name}", canonical=site.url(path),
                         og_type="website", description=site.texts["nf_title"], robots="noindex, follow")
        main = (f'<main id="main"><section class="error-404 not-found"><h1 class="page-title">{e(site.texts["nf_title"])}'
                f'</h1><p>{e(site.texts["nf_body"])}</p>{self.link_list(site, site.latest(5))}</section></main>')
        return self.page(site, head, "error404", self.chrome(site, main))

    def home_page(self, site: Site, items: list[Article], extra_links: list[tuple[str, str]]) -> str:
        ld = {"@context": "https://schema.org", "@graph": [
            {"@type": "CollectionPage", "@id": site.root, "url": site.root, "name": site.name,
             "isPartOf": {"@id": site.root + "#website"}},
            {"@type": "WebSite", "@id": site.root + "#website", "url": site.root, "name": site.name,
             "potentialAction": {"@type": "SearchAction", "target": site.root + "?s={search_term_string}",
                                 "query-input": "required name=search_term_string"}},
            {"@type": "Organization", "@id": site.root + "#organization", "name": site.name, "url": site.root}]}
        head = self.head(site, title=f"{site.name} - {site.tagline}", canonical=site.root, og_type="website",
                         description=site.tagline, extra=[jsonld(ld)])
        teasers = "\n".join(self.teaser(site, a) for a in items)
        picks = "".join(f'<li><a href="{href}">{e(text)}</a></li>' for text, href in extra_links)
        sections = "".join(f'<h2 class="block-title"><a href="{site.url(site.category_path(slug))}">{e(name)}</a></h2>'
                           for name, slug in site.sections)
        main = (f'<main id="main" class="home-main"><section class="featured">{teasers}</section>'
                f'<section class="editor-picks"><h2>{e(site.texts["picks"])}</h2><ul>{picks}</ul></section>'
                f'<section class="section-blocks">{sections}</section>'
                f'<a class="more-link" href="{site.url(site.page_path("/", 2))}">{e(site.texts["older"])}</a></main>')
        return self.page(site, head, "home blog", self.chrome(site, main))

    def chrome(self, site: Site, main: str) -> str:
        """Header + main + sidebar + footer around ``main``."""
        raise NotImplementedError

    # ------------------------------------------------------------ blocks (overridden per theme)
    def ad(self, site: Site, n: int) -> str:
        return (f'<div class="ad-slot"><span>{self.ad_label}</span><a href="https://ads.example.invalid/c?{n}">'
                f'<img src="{site.url(f"/wp-content/uploads/ads/banner-{n}.jpg")}" alt=""></a></div>')

    def also_read(self, site: Site, other: Article, art: Article) -> str:
        return (f'<p><strong>Also read: <a href="{site.also_read_href(art, other)}">{e(other.title)}</a></strong>'
                "</p>")

    def inline_figure(self, site: Site, art: Article) -> str:
        return (f'<figure class="wp-block-image size-large"><img decoding="async" src="{site.image_url(art, 2)}" '
                f'alt=""><figcaption class="wp-element-caption">{e(site.texts["inline_caption"])}</figcaption></figure>')

    def newsletter(self, site: Site) -> str:
        return ""

    def related(self, site: Site, arts: list[Article]) -> str:
        raise NotImplementedError

    def amp_page(self, site: Site, art: Article) -> str:
        canonical = site.article_url(art)
        paras = "\n".join(self.paragraphs_html(site, art))
        return (f'<!doctype html>\n<html amp lang="{self.lang_attr}">\n<head>\n<meta charset="utf-8">\n'
                f'<title>{e(art.title)} - {e(site.name)}</title>\n<link rel="canonical" href="{canonical}">\n'
                '<meta name="viewport" content="width=device-width">\n'
                '<script async src="https://cdn.ampproject.org/v0.js"></script>\n'
                '<style amp-boilerplate>body{visibility:hidden}</style>\n</head>\n<body class="amp-wp-single">\n'
                f'<header class="amp-wp-header"><a href="{site.root}">{e(site.name)}</a></header>\n'
                f'<article class="amp-wp-article"><header class="amp-wp-article-header"><h1 class="amp-wp-title">'
                f'{e(art.title)}</h1><div class="amp-wp-meta amp-wp-byline">{e(", ".join(art.authors))}</div>'
                f'<time datetime="{art.published.isoformat()}">{self.visible_date(art)}</time></header>\n'
                f'<div class="amp-wp-article-content">\n{paras}\n<amp-ad width="300" height="250" type="doubleclick">'
                f'<span>{self.ad_label}</span></amp-ad>\n</div></article>\n'
                f'<footer class="amp-wp-footer">{e(site.texts["copyright"])}</footer>\n</body>\n</html>\n')


# ==================================================================== tagDiv Newspaper + Yoast
class TagDiv(Theme):
    name = "Newspaper"

    def yoast_graph(self, site: Site, art: Article, canonical: str) -> dict:
        person_ids = [{"@id": f"{site.root}#/schema/person/{site.author_slug(a)}"} for a in art.authors]
        img = site.image_url(art)
        article = {
            "@type": "NewsArticle", "@id": f"{canonical}#article", "isPartOf": {"@id": canonical},
            "author": person_ids[0] if len(person_ids) == 1 else person_ids,
            "headline": art.title, "datePublished": art.published.isoformat(),
            "dateModified": art.lastmod.isoformat(), "mainEntityOfPage": {"@id": canonical},
            "wordCount": len(art.text.split()), "commentCount": 0,
            "publisher": {"@id": f"{site.root}#organization"}, "image": {"@id": f"{canonical}#primaryimage"},
            "thumbnailUrl": img, "keywords": art.tags, "articleSection": [art.section], "inLanguage": "en-US",
            "potentialAction": [{"@type": "CommentAction", "name": "Comment", "target": [f"{canonical}#respond"]}],
        }
        graph = [
            article,
            {"@type": "WebPage", "@id": canonical, "url": canonical, "name": f"{art.title} | {site.name}",
             "isPartOf": {"@id": f"{site.root}#website"}, "primaryImageOfPage": {"@id": f"{canonical}#primaryimage"},
             "datePublished": art.published.isoformat(), "dateModified": art.lastmod.isoformat(),
             "breadcrumb": {"@id": f"{canonical}#breadcrumb"}, "inLanguage": "en-US"},
            {"@type": "ImageObject", "inLanguage": "en-US", "@id": f"{canonical}#primaryimage", "url": img,
             "contentUrl": img, "width": 1024, "height": 683, "caption": art.caption},
            {"@type": "BreadcrumbList", "@id": f"{canonical}#breadcrumb", "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": site.root},
                {"@type": "ListItem", "position": 2, "name": art.section,
                 "item": site.url(site.category_path(art.section_slug))},
                {"@type": "ListItem", "position": 3, "name": art.title}]},
            {"@type": "WebSite", "@id": f"{site.root}#website", "url": site.root, "name": site.name,
             "publisher": {"@id": f"{site.root}#organization"}, "inLanguage": "en-US"},
            {"@type": "Organization", "@id": f"{site.root}#organization", "name": site.name, "url": site.root,
             "sameAs": ["https://www.facebook.com/theborneopost", "https://x.com/borneopost"]},
        ]
        for name, pid in zip(art.authors, person_ids):
            graph.append({"@type": "Person", "@id": pid["@id"], "name": name,
                          "url": site.url(site.author_path(name))})
        return {"@context": "https://schema.org", "@graph": graph}

    def article_page(self, site: Site, art: Article, canonical: str, meta_charset: bool = True) -> str:
        extra = self.article_head(site, art, canonical, [
            '<meta property="article:publisher" content="https://www.facebook.com/theborneopost">',
            f'<meta property="article:published_time" content="{utc_iso(art.published)}">',
            f'<meta property="article:modified_time" content="{utc_iso(art.lastmod)}">',
            jsonld(self.yoast_graph(site, art, canonical)),
        ])
        head = self.head(site, title=f"{art.title} | {site.name}", canonical=canonical, og_type="article",
                         description=art.summary, extra=[extra], meta_charset=meta_charset)
        byline = " and ".join(f'<a href="{site.url(site.author_path(a))}">{e(a)}</a>' for a in art.authors)
        tags = "".join(f'<li><a href="{site.url(site.tag_path(t))}">{e(t)}</a></li>' for t in art.tags)
        share = self.sharing(site, art)
        main = f"""<div class="td-crumb-container"><div class="entry-crumbs"><span><a href="{site.root}">Home</a></span> <i class="td-icon-right td-bread-sep"></i> <span><a href="{site.url(site.category_path(art.section_slug))}">{e(art.section)}</a></span></div></div>
<article id="post-{art.post_id}" class="post-{art.post_id} post type-post status-publish format-standard has-post-thumbnail category-{art.section_slug}">
<div class="td-post-header"><ul class="td-category"><li class="entry-category"><a href="{site.url(site.category_path(art.section_slug))}">{e(art.section)}</a></li></ul>
<header class="td-post-title"><h1 class="entry-title">{e(art.title)}</h1>
<div class="td-module-meta-info"><div class="td-post-author-name"><div class="td-author-by">By</div> {byline}<div class="td-author-line"> - </div></div>
<span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{art.published.isoformat()}">{en_date(art.published)}</time></span>
<div class="td-post-comments"><a href="#respond"><i class="td-icon-comments"></i>0</a></div></div></header></div>
<div class="td-post-sharing-top">{share}</div>
<div class="td-post-featured-image"><figure><a href="{site.image_url(art)}" data-caption="{e(art.caption)}"><img class="entry-thumb" src="{site.image_url(art)}" alt="" title="{e(art.title)}"></a><figcaption class="wp-caption-text">{e(art.caption)}</figcaption></figure></div>
<div class="td-post-content tagdiv-type">
{self.body_with_furniture(site, art)}
</div>
<footer><div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>TAGS</span></li>{tags}</ul></div>
<div class="td-post-sharing-bottom">{share}</div>
<div class="td-author-name vcard author"><div class="td-author-description">{e(art.authors[0])} is a reporter with {e(site.name)}. Send news tips to newsdesk@example.invalid.</div></div>
<div class="td-block-row td-post-next-prev"><div class="td-block-span6 td-post-prev-post"><div class="td-post-next-prev-content"><span>Previous article</span></div></div></div>
</footer></article>
{self.comments(site, art)}"""
        return self.page(site, head, f"post-template-default single single-post postid-{art.post_id} single-format-standard "
                         "td-standard-pack global-block-template-1 td-full-layout", self.chrome(site, main))

    def sharing(self, site: Site, art: Article) -> str:
        url = site.article_url(art)
        return (f'<div class="td-post-sharing td-ps-bg td-ps-notext"><div class="td-post-sharing-visible">'
                f'<div class="td-social-sharing-button td-social-sharing-button-js td-social-handler td-social-share-text">'
                f'<div class="td-social-but-text">Share This Article</div></div>'
                f'<a class="td-social-sharing-button td-social-facebook" href="https://www.facebook.com/sharer.php?u={url}">'
                f'<div class="td-social-but-text">Facebook</div></a>'
                f'<a class="td-social-sharing-button td-social-twitter" href="https://twitter.com/intent/tweet?url={url}">'
                f'<div class="td-social-but-text">Twitter</div></a>'
                f'<a class="td-social-sharing-button td-social-whatsapp" href="https://api.whatsapp.com/send?text={url}">'
                f'<div class="td-social-but-text">WhatsApp</div></a></div></div>')

    def comments(self, site: Site, art: Article) -> str:
        return (f'<div class="comments" id="comments"><div id="respond" class="comment-respond"><h3 id="reply-title" '
                f'class="comment-reply-title">Leave a Reply</h3><form action="{site.url("/wp-comments-post.php")}" '
                f'method="post" id="commentform"><p class="comment-notes">Your email address will not be published.'
                f'</p><textarea name="comment"></textarea><input name="comment_post_ID" value="{art.post_id}" '
                f'type="hidden"><input type="submit" value="Post Comment"></form></div></div>')

    def ad(self, site: Site, n: int) -> str:
        return (f'<div class="td-a-rec td-a-rec-id-content_inline tdi_{n} td_block_template_1"><span class="td-adspot-title">'
                f'- Advertisement -</span><div class="td-all-devices"><a href="https://ads.example.invalid/c?{n}">'
                f'<img src="{site.url(f"/wp-content/uploads/ads/banner-{n}.jpg")}" alt=""></a></div></div>')

    def newsletter(self, site: Site) -> str:
        return ('<div class="tnp tnp-subscription"><h4>Subscribe to our newsletter</h4><p>Get the day&#8217;s top '
                f'stories in your inbox.</p><form method="post" action="{site.url("/?na=s")}"><input class="tnp-email" '
                'type="email" name="ne" placeholder="Your email"><input class="tnp-submit" type="submit" '
                'value="Subscribe"></form></div>')

    def related(self, site: Site, arts: list[Article]) -> str:
        items = "".join(f'<div class="td-related-span4"><div class="td_module_related_posts"><h3 class="entry-title '
                        f'td-module-title"><a href="{site.article_url(a)}" rel="bookmark">{e(a.title)}</a></h3></div></div>'
                        for a in arts)
        return (f'<div class="td_block_wrap td_block_related_posts tdi_9 td-pb-border-top"><h4 class="td-related-title">'
                f'<a class="td-related-left td-cur-simple-item" href="#">Related</a><a class="td-related-right" '
                f'href="#">More from author</a></h4><div class="td_block_inner">{items}</div></div>')

    def chrome(self, site: Site, main: str) -> str:
        popular = site.popular()
        return f"""<div id="td-outer-wrap" class="td-theme-wrap">
<div class="td-header-wrap td-header-style-1"><div class="td-header-top-menu"><div class="td_data_time">Tuesday, October 1, 2024</div>
<ul class="top-header-menu"><li><a href="{site.url('/wp-admin/')}">Login</a></li><li><a href="{site.url('/?s=sarawak')}">Trending: sarawak</a></li><li><a href="{site.url('/search/kuching/')}">Kuching</a></li></ul></div>
<div class="td-header-sp-logo"><a class="td-main-logo" href="{site.root}"><span class="td-visual-hidden">{e(site.name)}</span></a></div>
<div id="td-header-menu" role="navigation">{self.nav(site)}</div>
<form role="search" method="get" action="{site.root}"><input name="s" type="text"><input type="submit" value="Search"></form></div>
<div class="td-main-content-wrap td-container-wrap"><div class="td-container"><div class="td-pb-row">
<div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-content">
{main}
</div></div>
<div class="td-pb-span4 td-main-sidebar" role="complementary"><div class="td-ss-main-sidebar">
<aside class="td_block_template_1 widget widget_recent_entries"><h4 class="block-title"><span>Latest News</span></h4>{self.link_list(site, site.latest(5))}</aside>
<aside class="td_block_template_1 widget"><h4 class="block-title"><span>Popular Posts</span></h4>{self.link_list(site, popular)}</aside>
{self.ad(site, 3)}
</div></div></div></div></div>
<div class="td-footer-wrap">{self.footer(site)}</div>
</div>"""


# ==================================================================== Foxiz
class Foxiz(Theme):
    name = "foxiz"

    def article_page(self, site: Site, art: Article, canonical: str, meta_charset: bool = True) -> str:
        img = site.image_url(art)
        ld = {"@context": "https://schema.org", "@type": "Article", "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
              "headline": art.title, "image": [img], "datePublished": art.published.isoformat(),
              "author": [{"@type": "Person", "name": a, "url": site.url(site.author_path(a))} for a in art.authors],
              "publisher": {"@type": "Organization", "name": site.name, "logo": {"@type": "ImageObject",
                                                                               "url": site.url("/logo.png")}},
              "articleSection": art.section, "keywords": ", ".join(art.tags), "inLanguage": "en-US"}
        if art.jsonld_modified:
            ld["dateModified"] = art.lastmod.isoformat()
        og = [f'<meta property="article:published_time" content="{art.published.isoformat()}">']
        if art.modified is not None:
            og.append(f'<meta property="article:modified_time" content="{art.modified.isoformat()}">')
        og.append(f'<meta property="article:section" content="{e(art.section)}">')
        og += [f'<meta property="article:tag" content="{e(t)}">' for t in art.tags]
        extra = self.article_head(site, art, canonical, og + [jsonld(ld).replace(' class="yoast-schema-graph"', "")])
        head = self.head(site, title=f"{art.title} - {site.name}", canonical=canonical, og_type="article",
                         description=art.summary, extra=[extra], meta_charset=meta_charset)
        authors = "".join(f'<span class="meta-el meta-author"><a href="{site.url(site.author_path(a))}">{e(a)}</a></span>'
                          for a in art.authors)
        updated = (f'<div class="smeta-bottom meta-text"><time class="updated-date" datetime="{art.modified.isoformat()}">'
                   f'Last updated: {en_date(art.modified)} {en_time(art.modified)}</time></div>' if art.modified else "")
        tags = "".join(f'<a href="{site.url(site.tag_path(t))}" rel="tag">{e(t)}</a>' for t in art.tags)
        main = f"""<div id="single-post" class="single-standard-1"><div class="rb-container edge-padding">
<article id="post-{art.post_id}" class="single-1 post-{art.post_id} post type-post status-publish format-standard has-post-thumbnail category-{art.section_slug}">
<header class="single-header"><div class="s-cats ecat-bg-4 ecat-size-big"><div class="p-categories"><a class="p-category category-id-3" href="{site.url(site.category_path(art.section_slug))}" rel="category">{e(art.section)}</a></div></div>
<h1 class="s-title fw-headline">{e(art.title)}</h1>
<div class="single-meta"><div class="smeta-in"><div class="smeta-sec">{updated}
<div class="p-meta"><div class="meta-inner is-meta">By {authors}<span class="meta-el meta-date"><time class="date published" datetime="{art.published.isoformat()}">{en_date(art.published)} {en_time(art.published)}</time></span></div></div></div></div>
<div class="smeta-extra">{self.share(site, art, "Share")}</div></div></header>
<div class="s-feat-outer"><div class="s-feat"><img loading="eager" src="{img}" alt="{e(art.title)}"></div><div class="feat-caption meta-text"><span class="caption-text meta-bold">{e(art.caption)}</span></div></div>
<div class="s-ct"><div class="s-ct-wrap"><div class="s-ct-inner"><div class="e-ct-outer">
<div class="entry-content rbct clearfix is-highlight-shares">
{self.body_with_furniture(site, art)}
</div>
<div class="efoot"><div class="efoot-bar-tags"><span class="blabel is-meta">TAGGED:</span>{tags}</div></div>
<div class="e-shared-sec entry-sec"><div class="e-shared-header h4"><span>Share This Article</span></div>{self.share(site, art, "")}</div>
</div></div></div></div>
</article>
<div class="comment-box-wrap entry-sec"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3><form action="{site.url('/wp-comments-post.php')}" method="post"><textarea name="comment"></textarea></form></div></div>
</div></div>"""
        return self.page(site, head, f"post-template-default single single-post postid-{art.post_id} single-format-standard "
                         "wp-embed-responsive is-single-1 sync-dark-mode", self.chrome(site, main))

    def share(self, site: Site, art: Article, label: str) -> str:
        url = site.article_url(art)
        head = f'<div class="t-shared-header is-meta"><i class="rbi rbi-share"></i><span class="share-label">{label}</span></div>' if label else ""
        return (f'<div class="t-shared-sec tooltips-n">{head}<div class="effect-fadeout">'
                f'<a class="share-action share-trigger icon-facebook" href="https://www.facebook.com/sharer.php?u={url}">Facebook</a>'
                f'<a class="share-action icon-twitter" href="https://twitter.com/intent/tweet?url={url}">Twitter</a>'
                f'<a class="share-action icon-whatsapp" href="https://api.whatsapp.com/send?text={url}">WhatsApp</a>'
                f'<a class="share-action icon-telegram" href="https://t.me/share/url?url={url}">Telegram</a>'
                f'<a class="share-action icon-copy copy-trigger" href="#">Copy Link</a></div></div>')

    def ad(self, site: Site, n: int) -> str:
        return (f'<div class="ad-wrap ad-inline inline-ad-{n}"><span class="ad-description is-meta">- Advertisement -'
                f'</span><div class="ad-image"><a href="https://ads.example.invalid/c?{n}"><img src="'
                f'{site.url(f"/wp-content/uploads/ads/dd-{n}.jpg")}" alt=""></a></div></div>')

    def newsletter(self, site: Site) -> str:
        return ('<div class="newsletter-box"><div class="newsletter-inner"><h2 class="newsletter-title h3">Subscribe '
                'to our newsletter</h2><p>The day&#8217;s Sarawak stories, every evening.</p><form><input type="email">'
                '<button>Sign Up</button></form></div></div>')

    def related(self, site: Site, arts: list[Article]) -> str:
        items = "".join(f'<div class="p-wrap p-list-inline"><h5 class="entry-title"><a class="p-url" href="{site.article_url(a)}">'
                        f'{e(a.title)}</a></h5></div>' for a in arts)
        return (f'<aside class="related-sec ruby-related related-5"><div class="inner"><div class="block-h heading-layout-10">'
                f'<div class="heading-inner"><h3 class="heading-title"><span>Related</span></h3></div></div>'
                f'<div class="block-inner">{items}</div></div></aside>')

    def follow(self) -> str:
        return ('<div class="header-social-list"><span class="follow-title">Follow:</span>'
                '<a class="social-link-facebook" href="https://www.facebook.com/dayakdaily">Facebook</a>'
                '<a class="social-link-x" href="https://x.com/dayakdaily">X</a>'
                '<a class="social-link-instagram" href="https://www.instagram.com/dayakdaily">Instagram</a></div>')

    def chrome(self, site: Site, main: str) -> str:
        trending = site.trending_link()
        return f"""<div class="site-outer"><div class="site-wrap">
<header id="site-header" class="header-wrap rb-section header-set-1 header-1"><div class="navbar-wrap"><div class="logo-wrap"><a class="logo" href="{site.root}">{e(site.name)}</a></div>
<nav id="site-navigation" class="main-menu-wrap">{self.nav(site)}</nav>{self.follow()}
<a class="members-login" href="{site.url('/members/login/')}">Sign In</a></div></header>
<div class="site-main">
{main}
<div class="sidebar-wrap"><div class="sidebar-inner">
<div class="widget rb-section w-sidebar"><div class="block-h widget-heading"><h4 class="heading-title"><span>Latest News</span></h4></div>{self.link_list(site, site.latest(5))}</div>
<div class="widget w-trending"><h4 class="heading-title"><span>Trending</span></h4><ul><li><a href="{trending[1]}">{e(trending[0])}</a></li></ul></div>
<div class="widget w-follow"><h4 class="heading-title"><span>Follow:</span></h4><div class="social-follower"><a href="https://www.facebook.com/dayakdaily">Facebook 120K</a></div></div>
</div></div>
</div>
<footer class="footer-wrap rb-section">{self.follow()}{self.footer(site)}</footer>
</div></div>
<aside id="rb-cookie" class="rb-privacy privacy-bar"><p>{e(site.texts['cookie'])}</p></aside>"""


# ==================================================================== JNews-like Malay theme
class JNews(Theme):
    name = "jnews"
    lang_attr = "ms"
    ad_label = "- Iklan -"

    def visible_date(self, art: Article) -> str:
        return ms_datetime(art.published)

    def article_page(self, site: Site, art: Article, canonical: str, meta_charset: bool = True) -> str:
        og = []
        if art.meta_dates:
            og.append(f'<meta property="article:published_time" content="{art.published.isoformat()}">')
            if art.modified is not None:
                og.append(f'<meta property="article:modified_time" content="{art.modified.isoformat()}">')
            og.append(f'<meta property="article:section" content="{e(art.section)}">')
        extra = self.article_head(site, art, canonical, og)
        if not art.meta_dates:
            extra = extra.replace(f'<link rel="alternate" type="application/json" href="{site.url(f"/wp-json/wp/v2/posts/{art.post_id}")}">', "")
        head = self.head(site, title=f"{art.title} – {site.name}", canonical=canonical, og_type="article",
                         description=art.summary, extra=[extra], meta_charset=meta_charset)
        byline = ", ".join(f'<a href="{site.url(site.author_path(a))}">{e(a)}</a>' for a in art.authors)
        tags = "".join(f'<a href="{site.url(site.tag_path(t))}" rel="tag">{e(t)}</a>' for t in art.tags)
        main = f"""<div class="jeg_main"><div class="jeg_container"><div class="jeg_content jeg_singlepage">
<div class="jeg_breadcrumbs jeg_breadcrumb_container"><div id="breadcrumbs"><span><a href="{site.root}">Utama</a></span><i class="fa fa-angle-right"></i><span><a href="{site.url(site.category_path(art.section_slug))}">{e(art.section)}</a></span></div></div>
<div class="entry-header"><h1 class="jeg_post_title">{e(art.title)}</h1>
<div class="jeg_meta_container"><div class="jeg_post_meta jeg_post_meta_1"><div class="jeg_meta_author">Oleh {byline}</div>
<div class="jeg_meta_date"><a href="{site.article_url(art)}">{ms_datetime(art.published)}</a></div></div></div></div>
<div class="jeg_featured featured_image"><a href="{site.image_url(art)}"><img src="{site.image_url(art)}" alt="{e(art.title)}"></a><p class="wp-caption-text">{e(art.caption)}</p></div>
<div class="jeg_share_top_container">{self.share(site, art)}</div>
<div class="entry-content no-share"><div class="content-inner">
{self.body_with_furniture(site, art)}
</div>
<div class="jeg_post_tags"><span>Tag:</span> {tags}</div></div>
<div class="jeg_share_bottom_container">{self.share(site, art)}</div>
<div class="jeg_ad jeg_ad_article jnews_content_bottom_ads"><div class="ads-wrapper"><span class="ads-text">- Iklan -</span></div></div>
<div id="respond" class="comment-respond"><h3 class="comment-reply-title">Tinggalkan Komen</h3><form action="{site.url('/wp-comments-post.php')}"><textarea name="comment"></textarea></form></div>
</div></div></div>"""
        return self.page(site, head, f"post-template-default single single-post postid-{art.post_id} single-format-standard "
                         "jeg_single_tpl_1 jnews jsc_normal", self.chrome(site, main), lang="ms-MY")

    def share(self, site: Site, art: Article) -> str:
        url = site.article_url(art)
        return (f'<div class="jeg_share_button clearfix"><div class="jeg_sharelist"><span class="jeg_share_title">Kongsi</span>'
                f'<a href="https://www.facebook.com/sharer.php?u={url}" class="jeg_btn-facebook"><span>Facebook</span></a>'
                f'<a href="https://api.whatsapp.com/send?text={url}" class="jeg_btn-whatsapp"><span>WhatsApp</span></a>'
                f'<a href="https://twitter.com/intent/tweet?url={url}" class="jeg_btn-twitter"><span>Twitter</span></a></div></div>')

    def ad(self, site: Site, n: int) -> str:
        return (f'<div class="jeg_ad jeg_ad_article jnews_content_inline_ads"><div class="ads-wrapper align-center">'
                f'<span class="ads-text">- Iklan -</span><a href="https://ads.example.invalid/c?{n}"><img src="'
                f'{site.url(f"/wp-content/uploads/ads/ub-{n}.jpg")}" alt=""></a></div></div>')

    def also_read(self, site: Site, other: Article, art: Article) -> str:
        return (f'<div class="jnews_inline_related_post"><p><strong>Baca juga: <a href="{site.also_read_href(art, other)}">'
                f'{e(other.title)}</a></strong></p></div>')

    def related(self, site: Site, arts: list[Article]) -> str:
        items = "".join(f'<article class="jeg_post"><h3 class="jeg_post_title"><a href="{site.article_url(a)}">'
                        f'{e(a.title)}</a></h3></article>' for a in arts)
        return (f'<div class="jnews_related_post_container"><div class="jeg_postblock_22 jeg_postblock jeg_module_hook">'
                f'<div class="jeg_block_heading"><h3 class="jeg_block_title"><span>Berita Berkaitan</span></h3></div>'
                f'<div class="jeg_posts">{items}</div></div></div>')

    def chrome(self, site: Site, main: str) -> str:
        return f"""<div class="jeg_viewport">
<div class="jeg_header_wrapper"><div class="jeg_header normal"><div class="jeg_topbar"><div class="jeg_nav_item">{ms_datetime(site.now)}</div>
<a href="{site.url('/wp-admin/')}">Log Masuk</a></div>
<div class="jeg_logo"><a href="{site.root}">{e(site.name)}</a></div><div class="jeg_main_menu_wrapper">{self.nav(site)}</div></div></div>
{main}
<div class="jeg_sidebar"><div class="widget widget_jnews_module_block_21"><div class="jeg_block_heading"><h3 class="jeg_block_title"><span>Berita Terkini</span></h3></div>{self.link_list(site, site.latest(5))}</div>
{self.ad(site, 3)}</div>
<div class="jeg_footer">{self.footer(site)}</div>
</div>"""
