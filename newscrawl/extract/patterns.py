"""Boilerplate and page-signal patterns, kept as data in one place.

Everything the extraction stage recognises by name (theme class names, boilerplate lines, challenge and error
markers, Malay month names) lives here so it can be reviewed and extended without touching the logic.
"""

from __future__ import annotations

import re

# --- DOM pruning --------------------------------------------------------------------------------------------------
# Class/id TOKENS (matched whole, case-insensitive, against each whitespace-separated class token and the id) of
# boilerplate containers used by common WordPress themes and plugins. Whole-token matching keeps e.g. "rbct"
# (Foxiz's *entry-content* class, not a share bar) and "header"/"thread" safe.
BOILERPLATE_TOKENS: frozenset[str] = frozenset(
    {
        # tagDiv Newspaper / Newsmag
        "td-a-rec", "td-post-sharing", "td-post-sharing-top", "td-post-sharing-bottom", "td-post-source-tags",
        "td-related", "td_block_related_posts", "td-related-title", "td-post-next-prev", "td-author-name",
        "td-author-by", "td-post-author-name", "author-box-wrap", "td-post-share-title", "td-social-sharing",
        "td-g-rec", "td-adspot-title", "td-footer-wrapper", "td-sub-footer-container", "td_block_social_counter",
        # Foxiz / ruby themes
        "ruby-related", "related-sec", "e-shared-sec", "t-shared-sec", "rbbsl", "sticky-share-list",
        "sticky-share-list-buffer", "share-action", "reaction-sec", "usr-holder", "efoot", "comment-box-wrap",
        "single-post-footer", "entry-sec", "newsletter-box", "rb-newsletter", "ad-wrap", "ad-script-wrap",
        # Jannah
        "share-buttons", "share-buttons-bottom", "share-buttons-top", "post-bottom-meta", "related-posts-list",
        "about-author", "post-components", "read-next-block", "stream-item", "stream-item-above-post-content",
        "stream-item-below-post-content", "stream-item-in-post", "stream-item-below-post", "tie-newsletter",
        # JNews
        "jeg_share_button", "jeg_share_top_container", "jeg_share_bottom_container", "jeg_postblock_22",
        "jnews_related_post_container", "jeg_authorbox", "jeg_post_tags", "jeg_ad", "jnews_inline_related_post",
        "jnews_inline_related_post_wrapper", "jeg_prevnext_post", "jnews_prev_next_container",
        "jnews_comment_container", "jnews_author_box_container",
        # GeneratePress / Astra / generic WordPress
        "post-navigation", "nav-links", "comments-area", "comment-respond", "comment-form", "comments",
        "respond", "author-box", "author-bio", "author-info", "post-author-box", "ast-author-box", "sharedaddy",
        "jp-relatedposts", "jp-relatedposts-headline", "sd-sharing-enabled", "sd-block", "addtoany_share_save_container",
        "addtoany_content", "a2a_kit", "heateor_sss_sharing_container", "heateor_sss_horizontal_sharing",
        "heateorSssClear", "yarpp", "yarpp-related", "yarpp-related-widget", "wpdiscuz_top_clearing", "wpdcom",
        "wc_comm_form", "wpd-form-wrap", "crp_related", "related-posts", "related_posts", "relatedposts",
        "related-post", "rp4wp-related-posts", "social-share", "social-sharing", "share-post", "post-share",
        "post-sharing", "entry-share", "sharing", "sharethis-inline-share-buttons", "essb_links", "ss-inline-share-wrapper",
        "newsletter", "mc4wp-form", "widget_mc4wp_form_widget", "subscribe-box", "tnp-subscription",
        "cookie-notice-container", "cookie-law-info-bar", "cmplz-cookiebanner", "moove_gdpr_cookie_info_bar",
        "sidebar", "widget-area", "site-footer", "footer-widgets", "breadcrumb", "breadcrumbs",
        "adsbygoogle", "google-auto-placed", "advertisement", "advert", "code-block", "ai-viewport-1",
        "wp-block-latest-posts", "post-tags", "tags-links", "entry-tags", "tagcloud",
    }
)
# Class/id tokens with these prefixes are boilerplate too (plugin families with numbered variants).
BOILERPLATE_PREFIXES: tuple[str, ...] = (
    "td-a-rec-", "td-g-rec-", "heateor_", "addtoany_", "jp-relatedposts", "yarpp-", "wpdiscuz", "sharedaddy",
    "jeg_ad_", "jeg_share", "crp_related", "ai-placement", "code-block-", "adsense", "essb_", "stream-item-",
)
# Pruning never removes a node that holds the article (chosen on the real-page sets, see docs/extraction.md):
PROSE_NODE_MIN = 40         # a text node this long (characters) counts as prose; menu items and buttons are shorter
PROSE_MIN_TOTAL = 400       # below this much prose on the page the share test means nothing
PROTECT_PROSE_SHARE = 0.5   # a node holding this share of the page's prose is the article, whatever its class
# trafilatura's fallback (readability/jusText comparison) runs when the fast pass found: prose in less than this
# share of its text (a menu or link list), less than this share of the JSON-LD articleBody, or of the page's prose.
# On both real-page sets a higher page share (0.3, 0.5) made the fallback pick the wrong block on AEB news pages.
FALLBACK_PROSE_DENSITY = 0.5
FALLBACK_BODY_SHARE = 0.5
FALLBACK_PAGE_SHARE = 0.2
ANCHOR_PROBE = 40           # characters of each of the JSON-LD articleBody's first paragraphs looked for
# Elements dropped wherever they are: never article prose.
BOILERPLATE_TAGS: tuple[str, ...] = ("aside", "nav", "footer", "form", "figcaption", "noscript", "iframe", "script",
                                     "style", "template", "button", "select", "svg")

# --- line filter --------------------------------------------------------------------------------------------------
# A leftover LINE is dropped when it is short (<= MAX_BOILERPLATE_LINE chars) and matches one of these, so prose
# that merely contains "related" or "share" is kept.
MAX_BOILERPLATE_LINE = 80
BOILERPLATE_LINE_PATTERNS: tuple[str, ...] = (
    r"-?\s*(advertisement|advertisment|iklan|sponsored|ads?)\s*-?",
    r"(share|kongsi)( this( article| post| story)?)?\s*:?",
    r"(share|kongsi) (on|di|ke) .*",
    r"(follow|ikuti)( us)?( on .*)?\s*:?",
    r"(facebook|twitter|x|whatsapp|telegram|linkedin|pinterest|email|e-mel|print|copy link|reddit|threads)"
    r"([\s,|/·•]+(facebook|twitter|x|whatsapp|telegram|linkedin|pinterest|email|e-mel|print|copy link|reddit|threads))*",
    r"(subscribe|sign up|langgan)( to)?( our)? (newsletter|to our newsletter|.*newsletter.*)",
    r".*\bnewsletter\b.*(subscribe|sign up).*",
    r"(related( posts?| articles?| stories| news)?|also read|read also|read more|baca juga|baca lagi"
    r"|berita berkaitan|artikel berkaitan|you may also like|you might also like|more from .*|recommended)\s*:?.*",
    r"(latest( news| posts| stories)?|popular( news| posts)?|most (read|popular|viewed)|trending( now)?"
    r"|berita terkini|terkini|paling popular|editor'?s picks?)\s*:?",
    r"(leave a (reply|comment)|tinggalkan (balasan|komen)|post a comment|comments?|\d+ comments?|no comments"
    r"|you must be logged in to post a comment.*|cancel reply)\s*:?",
    r".*\b(all rights reserved|hak cipta terpelihara)\b.*",
    r"(©|\(c\)|copyright)\s*.*",
    r".*\b(we use cookies|this (web)?site uses cookies|accept (all )?cookies)\b.*",
    r"(tags?|tagged|label)\s*:.*",
    r"(about the author|tentang penulis)\s*:?",
    r"(previous|next) (post|article)\s*:?.*",
    r"(click here|klik di sini)( to .*)?",
    r"(photo|gambar|foto|pic)\s*:\s*.*",
    # Chinese (Simplified and Traditional): the same labels, whole lines only (a line is at most 80 characters)
    r"(广告|廣告|赞助内容|贊助內容)",
    r"(分享|分享到|分享至|转发|轉發)\s*[:：]?\s*((微信|微博|朋友圈|qq|facebook|whatsapp|twitter|line|telegram|复制链接"
    r"|複製連結)[\s,，、|/·•]*)*",
    r"(相关新闻|相关文章|相关报道|相关阅读|延伸阅读|推荐阅读|热门新闻|猜你喜欢|你可能也喜欢|相關新聞|相關文章|相關報導"
    r"|延伸閱讀|推薦閱讀|熱門新聞)\s*[:：]?.*",
    r"点击(这里|此处)?(阅读|查看|浏览)(全文|更多|原文)?.*|點擊(這裡)?(閱讀|查看)(全文|更多)?.*|(阅读|閱讀)(全文|更多)\s*.*",
    r"(上一篇|下一篇)\s*[:：].*",
    r"(标签|標籤|关键词|關鍵詞|关键字|關鍵字)\s*[:：].*",
    r".*(版权所有|版權所有).*",
    r"(关注我们|關注我們|订阅|訂閱)(\s*[:：].*)?",
    r"(发表评论|發表評論|发表留言|留言|评论|評論)\s*[:：]?",
)
BOILERPLATE_LINE_RE = re.compile(r"^(?:" + "|".join(BOILERPLATE_LINE_PATTERNS) + r")$", re.IGNORECASE)
# Lines that open a trailing block of boilerplate (everything after them in the text is dropped) when they are
# among the last lines of the text: "Related" lists and "Also read" rows that trafilatura kept at the end.
TAIL_OPENER_RE = re.compile(
    r"^(related( posts?| articles?| stories| news)?|you may also like|berita berkaitan|artikel berkaitan"
    r"|baca juga|also read|read also|more stories|leave a reply"
    r"|相关新闻|相关文章|相关报道|延伸阅读|推荐阅读|猜你喜欢|相關新聞|相關文章|延伸閱讀|推薦閱讀)\s*[:：]?$",
    re.IGNORECASE,
)
# Headings introducing an in-body "Related"/"Baca juga" block: the heading and its following list are pruned.
RELATED_HEADING_RE = re.compile(
    r"^(related( posts?| articles?| stories| news)?|also read|read also|baca juga|berita berkaitan"
    r"|artikel berkaitan|you may also like|you might also like)\s*:?\s*", re.IGNORECASE
)
# In-body calls to action built from plain editor blocks (no class names): the opening line of a newsletter box,
# a "follow us" row, an app-download ask, a donation ask. The line and the short block it opens go whole.
CTA_OPENER_RE = re.compile(
    r"^\W*(?:(?:subscribe|sign up|sign-up|register|join)\b.{0,40}\b(?:newsletter|mailing list|inbox|updates|channel"
    r"|alerts|briefing|digest)|(?:get|receive|have)\b.{0,50}\b(?:in|to|into) your (?:inbox|email|phone)"
    r"|(?:our|the|free)\b.{0,30}\bnewsletters?\b|newsletters?\s*:?$"
    r"|(?:follow|like) us\b|stay (?:connected|updated|informed)\b.{0,40}\b(?:follow|join|subscribe)"
    r"|(?:download|get|install) (?:our|the)\b.{0,30}\bapps?\b"
    r"|join (?:our|us on)\b.{0,30}\b(?:telegram|whatsapp|channel|community|group)"
    r"|(?:support|fund)\b.{0,30}\b(?:journalism|our (?:work|reporting|newsroom))|(?:donate|make a donation)\b"
    r"|become a (?:member|subscriber|supporter|patron)\b"
    # Malay: "langgan surat berita", "ikuti kami", "muat turun aplikasi", "sertai saluran Telegram kami", "derma"
    r"|langgan\b|ikuti kami\b|muat turun aplikasi\b|sertai\b.{0,30}\b(?:telegram|whatsapp|saluran|kumpulan)"
    r"|sokong (?:kewartawanan|kami)\b|(?:buat |beri )?derma(?:kan)?\b)",
    re.IGNORECASE,
)
CTA_FOLLOWER_RE = re.compile(
    r"\b(?:inbox|e-?mail|newsletter|subscribe|sign (?:me )?up|app store|google play|download|donat\w*|telegram"
    r"|whatsapp|facebook|instagram|tiktok|youtube|twitter|notifications?|alerts?|peti masuk|langgan|daftar"
    r"|muat turun|derma|saluran)\b", re.IGNORECASE)
CTA_MAX_OPENER = 160   # an opener longer than this is prose that mentions a newsletter, not a box
CTA_MAX_BLOCK = 600    # a whole block (parent) this short, opened by a CTA line, is the box
CTA_MAX_FOLLOWER = 220  # siblings after the opener this short belong to the box (a blurb, a link, a form)
CTA_MAX_FOLLOWERS = 4
# lowercase first words of those headings, for a cheap pre-filter in XPath
RELATED_HEADING_STARTS: tuple[str, ...] = ("related", "also read", "read also", "baca juga", "berita berkaitan",
                                           "artikel berkaitan", "you may also", "you might also")

# --- rejects ------------------------------------------------------------------------------------------------------
DEFAULT_MIN_TEXT_LENGTH = 200
# Not a news story, whatever the markup says: the longest pages of both real-page sets extract to 100,504 characters
# and 717 lines (a slideshow of jokes); an index or a data table runs to thousands of short rows.
DEFAULT_MAX_TEXT_LENGTH = 200_000   # characters: too_long (an outlet may override with the hint max_text_length)
INDEX_MIN_LINES = 1500              # this many lines ...
INDEX_MAX_MEDIAN_LINE = 80          # ... with a median line this short: index_page (rows, not paragraphs)
BOT_CHALLENGE_RE = re.compile(
    r"just a moment\.\.\.|checking your browser|enable javascript and cookies to continue|attention required!"
    # reCAPTCHA/hCaptcha widgets alone are not listed: WordPress comment forms carry them on real articles
    r"|cf-browser-verification|challenge-platform|cf_chl_opt|captcha-delivery|_incapsula_resource|sucuri_cloudproxy"
    r"|verify you are (a )?human|ddos protection by|please complete the security check",
)  # lower-case: matched against the lower-cased page (5x faster than IGNORECASE over 100 kB)
ERROR_TITLE_RE = re.compile(
    r"\b(page not found|not found|404|halaman tidak dijumpai|tidak dijumpai|nothing found|oops!? that page"
    r"|error 404|halaman tidak ditemui)\b",
    re.IGNORECASE,
)

# --- page classification ------------------------------------------------------------------------------------------
# every schema.org subtype of Article (https://schema.org/Article "More specific Types"), lower-cased
ARTICLE_LD_TYPES = frozenset({
    "article", "advertisercontentarticle", "newsarticle", "analysisnewsarticle", "askpublicnewsarticle",
    "backgroundnewsarticle", "opinionnewsarticle", "reportagenewsarticle", "reviewnewsarticle", "report",
    "satiricalarticle", "scholarlyarticle", "medicalscholarlyarticle", "socialmediaposting", "blogposting",
    "liveblogposting", "discussionforumposting", "techarticle", "apireference", "reportagenews"})
LISTING_LD_TYPES = frozenset({"collectionpage", "searchresultspage", "profilepage"})
# An ItemList is weaker evidence: themes and SEO plugins describe their menus and carousels with it.
WEAK_LISTING_LD_TYPES = frozenset({"itemlist"})
NAVIGATION_LD_TYPES = frozenset({"sitenavigationelement", "wpheader", "wpfooter", "wpsidebar", "breadcrumblist"})
OTHER_LD_TYPES = frozenset({"webpage", "aboutpage", "contactpage", "faqpage", "checkoutpage", "medicalwebpage"})
ARTICLE_BODY_CLASSES = frozenset({"single-post", "single-format-standard", "postid", "single"})
LISTING_BODY_CLASSES = frozenset({"archive", "category", "tag", "author", "search", "search-results", "home",
                                  "blog", "date", "paged", "tax"})
OTHER_BODY_CLASSES = frozenset({"page", "page-template", "page-template-default", "error404", "attachment"})
LISTING_URL_RE = re.compile(
    r"/(category|categories|tag|tags|author|topics?|section|kategori|label|archives?)/|/page/\d+/?$|[?&](s|q|paged)="
    r"|/\d{4}/(\d{2}/)?$|/(feed|search)/?$",
    re.IGNORECASE,
)

# --- dates and bylines ---
MIN_YEAR = 1990  # any date before it (or after next year) is a placeholder, not a publication date-----------------------------------------------------------------------------------------
MONTHS: dict[str, int] = {
    # Malay
    "januari": 1, "februari": 2, "mac": 3, "april": 4, "mei": 5, "jun": 6, "julai": 7, "ogos": 8,
    "september": 9, "oktober": 10, "november": 11, "disember": 12,
    # English (full and short)
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
    "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12, "ogo": 8, "okt": 10, "dis": 12,
}
# "pagi" (morning), "tengah hari" (noon), "petang" (afternoon/evening), "malam" (night): PM unless morning.
MALAY_DAYPART_PM = {"pagi": False, "tengah hari": True, "tengahari": True, "petang": True, "malam": True}
BYLINE_PREFIX_RE = re.compile(r"^\s*(by|oleh|written by|posted by|reported by|dilaporkan oleh|penulis)\s*:?\s+",
                              re.IGNORECASE)
# Co-bylines split at punctuation, and at "and"/"dan" only as lower-case words between names (or in an all-caps
# byline): "Dan Smith" is a first name, not the Malay "dan".
AUTHOR_SPLIT_RE = re.compile(r"\s*(?:[,&;|/]|\s(?:and|dan)\s)\s*")
AUTHOR_SPLIT_CAPS_RE = re.compile(r"\s*(?:[,&;|/]|\s(?:AND|DAN)\s)\s*")
# CMS accounts and desks are not people: "admin", "Editor 10", "Web Desk", "News Desk", "Pentadbir"...
ACCOUNT_NAME_RE = re.compile(
    r"^(?:site ?)?(?:admin(?:istrator)?|editor(?:ial)?(?: team| desk)?|editors|web ?desk|news ?desk|digital desk"
    r"|online desk|web team|staff(?: writer| reporter)?|reporters?|webmaster|author|guest(?: author)?|user"
    r"|contributor|pentadbir|penyunting|editor web|wartawan|meja berita|sidang pengarang|unknown|anonymous)"
    r"[\s_-]*\d*$", re.IGNORECASE)
MAX_FIELD_CHARS = 500        # title, section, an author's name: longer is a page's mistake, not metadata
MAX_TAGS = 50
MAX_LD_CHARS = 1_000_000     # JSON-LD blocks (and any script) larger than this are skipped: bounded worker memory
