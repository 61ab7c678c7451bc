"""Articles of the replica outlets: the hand-written bundled set and the scale-mode generator.

An ``Article`` is pure data; themes render it and the manifest reads the very same object, so expected outcomes
are never retyped. Times are Malaysia time (+08:00), as the outlets publish them.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from . import prose

MYT = timezone(timedelta(hours=8))


def myt(text: str) -> datetime:
    """'2024-03-05 10:15' -> aware datetime in +08:00."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=MYT)


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class Article:
    outlet: str
    post_id: int
    slug: str
    title: str
    authors: list[str]
    published: datetime
    modified: datetime | None  # None: the page declares no modification date
    section: str
    section_slug: str
    tags: list[str]
    lang: str
    paragraphs: list[str]
    image: str  # file name under /wp-content/uploads/YYYY/MM/
    caption: str
    # Discovery surfaces: which listings mention the article.
    in_sitemap: bool = True
    in_feed: bool = True
    on_site: bool = True  # homepage, category/tag/author archives, sidebars, in-body links
    # Metadata the page declares.
    meta_dates: bool = True  # False: the visible date is the ONLY date on the page
    jsonld_modified: bool = True  # False: JSON-LD without dateModified
    trap: str | None = None  # retry503 | retry429 | truncated | alt_path | cp1252 | utm | noslash
    wire: bool = False  # syndicated Bernama story (near-duplicate of another outlet's copy)
    version: int = 1  # bumped by Replica.edit_article
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def lastmod(self) -> datetime:
        return self.modified or self.published

    @property
    def summary(self) -> str:
        words = self.paragraphs[0].split()
        return " ".join(words[:30]) + (" [&hellip;]" if len(words) > 30 else "")


# ---------------------------------------------------------------- outlets' staff and sections
SECTIONS = {
    "borneopost": [("Sarawak", "sarawak"), ("Nation", "nation"), ("Business", "business"), ("Sports", "sports")],
    "dayakdaily": [("Sarawak", "sarawak"), ("Politics", "politics"), ("Business", "business"), ("Nation", "nation")],
    "utusanborneo": [("Sarawak", "sarawak"), ("Nasional", "nasional"), ("Ekonomi", "ekonomi"), ("Sukan", "sukan")],
}
REPORTERS = {
    "borneopost": ["Raymond Tingang", "Melissa Ang", "Jude Belaga", "Samuel Kiu", "Alicia Ngu", "Ivan Kuek"],
    "dayakdaily": ["Nadia Ramli", "Ernest Sagin", "Lucy Ngau", "Marcus Ujang", "Yvonne Tan Sze Wei"],
    "utusanborneo": ["Hairul Nizam Jaini", "Mohd Faizal Bujang", "Sylvester Rawing", "Nurul Huda Sebli", "Ajau Lendu"],
}
LANG = {"borneopost": "en", "dayakdaily": "en", "utusanborneo": "ms"}

WIRE_BODY = [
    "The National Disaster Management Agency (Nadma) will roll out a nationwide flood early warning system "
    "linking 1,200 river level sensors before the northeast monsoon begins in November.",
    "Its director-general said the system would send alerts directly to mobile phones of residents living within "
    "five kilometres of a monitored river once water levels reach the danger mark.",
    "“Sarawak, Sabah and the east coast states of the peninsula will be the first to be covered because they "
    "recorded the highest number of evacuations over the past three years,” he told a press conference.",
    "He said RM312 million had been approved for the sensors, the alert software and the training of 4,500 "
    "community volunteers who will manage temporary relief centres.",
    "According to him, the agency also plans to map 6,000 relief centres nationwide and publish their capacity "
    "online so that families can plan their evacuation routes early.",
    "The director-general added that district disaster committees had been told to complete their drills by the "
    "end of September, with priority given to low-lying villages along major rivers.",
    "Last year, more than 220,000 people were evacuated during the monsoon floods, with losses estimated at "
    "RM1.1 billion, according to the Department of Statistics.",
]

# Hand-written bundled articles: (fields, lead/body). ``body`` is the whole text; ``lead`` + ``more`` generates
# ``more`` extra paragraphs from the sentence pools with a seed fixed by the post id.
BUNDLED: dict[str, list[dict]] = {
    "borneopost": [
        dict(post_id=100101, title="Premier: Sarawak’s green hydrogen plant in Bintulu ‘on track’ for 2027",
             authors=["Raymond Tingang"], published="2024-03-05 10:15", modified="2024-03-05 18:40",
             section="sarawak", tags=["Hydrogen", "Bintulu", "Energy"], trap="utm",
             lead="BINTULU: The green hydrogen production plant in Kidurong is on track to begin commercial "
                  "operations in 2027, the Premier told a gathering of investors here yesterday.", more=7),
        dict(post_id=100102, title="Kuching Water Board to replace 40km of old pipes in Padawan & Batu Kawa",
             authors=["Melissa Ang", "Jude Belaga"], published="2024-04-11 16:02", modified="2024-04-12 09:30",
             section="sarawak", tags=["Water supply", "Padawan", "Batu Kawa"], trap="retry503",
             lead="KUCHING: Kuching Water Board (KWB) will replace some 40 kilometres of ageing asbestos cement pipes "
                  "in Padawan and Batu Kawa over the next 18 months to reduce bursts and water loss.", more=6),
        dict(post_id=100103, title="Sarawak exports of LNG and palm oil rise 12 per cent in first half",
             authors=["Samuel Kiu"], published="2024-08-20 08:45", modified="2024-08-20 11:05",
             section="business", tags=["Exports", "LNG", "Palm oil"], trap="alt_path",
             lead="KUCHING: Sarawak’s exports rose 12 per cent to RM68.4 billion in the first half of the year on the "
                  "back of stronger liquefied natural gas (LNG) shipments and higher crude palm oil prices.", more=8),
        dict(post_id=100104, title="Sarawak shuttlers bag three golds at Borneo Open in Miri",
             authors=["Ivan Kuek"], published="2024-06-30 21:10", modified="2024-07-01 08:00",
             section="sports", tags=["Badminton", "Miri"], trap="noslash",
             lead="MIRI: Sarawak’s young shuttlers delivered three gold medals on home soil as the Borneo Open "
                  "badminton championship concluded at the Miri Indoor Stadium on Sunday.", more=5),
        dict(post_id=100105, title="Dengue cases in Sibu down 38 per cent after clean-up drive, says health director",
             authors=["Alicia Ngu"], published="2024-05-14 13:20", modified="2024-05-14 13:20",
             section="sarawak", tags=["Dengue", "Sibu", "Health"],
             lead="SIBU: Dengue cases in Sibu Division fell 38 per cent in the first 19 weeks of the year following "
                  "a month-long clean-up campaign involving 60 neighbourhoods.", more=9),
        dict(post_id=100106, title="Govt to roll out nationwide flood early warning system by year-end",
             authors=["Bernama"], published="2024-09-02 19:30", modified="2024-09-02 20:10",
             section="nation", tags=["Floods", "Nadma", "Monsoon"], wire=True,
             body=["KUALA LUMPUR (Sept 2): " + WIRE_BODY[0]] + WIRE_BODY[1:] + ["— Bernama"]),
        dict(post_id=100107, title="Longhouse folk in Song receive solar hybrid power after 30-year wait",
             authors=["Raymond Tingang"], published="2024-02-08 09:05", modified="2024-02-09 10:00",
             section="sarawak", tags=["Rural electrification", "Song", "Longhouse"],
             in_feed=False, on_site=False,  # reachable only through the Yoast post sitemap
             lead="SONG: Some 45 families at Rumah Jampi, Sungai Katibas finally have round-the-clock electricity "
                  "after a solar hybrid station was switched on here on Wednesday.", more=6),
        dict(post_id=100108, title="Miri City Council tightens rules on roadside stalls",
             authors=["Jude Belaga"], published="2024-01-17 15:45", modified="2024-01-18 08:15",
             section="sarawak", tags=["Miri", "Hawkers"], in_feed=False,
             lead="MIRI: Miri City Council (MCC) will no longer renew permits for roadside stalls operating within "
                  "20 metres of traffic lights from next month, its mayor announced today.", more=4),
        dict(post_id=100109, title="Cross-border trade at Tebedu rebounds as new customs complex opens",
             authors=["Samuel Kiu"], published="2024-07-22 12:00", modified="2024-07-23 17:45",
             section="business", tags=["Tebedu", "Trade", "Customs"],
             lead="SERIAN: Trade volume through the Tebedu border crossing climbed back above pre-pandemic levels in "
                  "June, a week after the new immigration, customs, quarantine and security complex opened.", more=7),
    ],
    "dayakdaily": [
        dict(post_id=200101, title="Nationwide flood warning system to be ready by year-end — Nadma",
             authors=["Bernama"], published="2024-09-02 20:05", modified="2024-09-02 20:05",
             section="nation", tags=["Floods", "Nadma"], wire=True,
             body=["KUALA LUMPUR, Sept 2: " + WIRE_BODY[0]] + WIRE_BODY[1:4]
                  + ["The agency said volunteers from longhouses and villages in flood-prone districts are "
                     "encouraged to register with their district offices."]
                  + WIRE_BODY[4:] + ["—Bernama"]),
        dict(post_id=200102, title="Opposition youth wing names new chief ahead of state polls",
             authors=["Ernest Sagin"], published="2024-08-03 17:25", modified="2024-08-04 10:00",
             section="politics", tags=["State election", "Youth"],
             lead="KUCHING, Aug 3: A 31-year-old lawyer from Miri has been named the new youth chief of a state "
                  "opposition party, which says it wants younger faces on the ballot at the next state election.",
             more=6),
        dict(post_id=200103, title="Sarawak to open three more international schools by 2026",
             authors=["Nadia Ramli"], published="2024-05-27 11:40", modified="2024-05-28 09:15",
             section="sarawak", tags=["Education", "International schools"], trap="retry429",
             lead="KUCHING, May 27: Three more state-owned international schools will open in Miri, Sibu and "
                  "Bintulu by 2026, bringing the total to five, the Education Minister said today.", more=7),
        dict(post_id=200104, title="Bintulu Port handles record cargo volume in second quarter",
             authors=["Lucy Ngau"], published="2024-07-15 14:50", modified="2024-07-15 16:30",
             section="business", tags=["Bintulu", "Port", "Cargo"], trap="truncated",
             lead="BINTULU, July 15: Bintulu Port handled a record 14.2 million tonnes of cargo in the second quarter, "
                  "driven by LNG, fertiliser and palm oil shipments, according to its operator.", more=5),
        dict(post_id=200105, title="Kapit folk welcome new express boat schedule on Rajang",
             authors=["Marcus Ujang"], published="2024-09-20 07:55", modified="2024-09-20 07:55",
             section="sarawak", tags=["Kapit", "Express boat", "Rajang"],
             in_sitemap=False, on_site=False,  # reachable only through the RSS/Atom feed
             lead="KAPIT, Sept 20: Residents of Kapit and Song will have two extra express boat trips to Sibu every "
                  "day from next week under a revised schedule approved by the Sarawak Rivers Board.", more=5),
        dict(post_id=200106, title="Gawai open house at Sarawak Cultural Village draws 5,000 visitors",
             authors=["Yvonne Tan Sze Wei"], published="2024-06-02 18:10", modified="2024-06-03 09:00",
             section="sarawak", tags=["Gawai", "Culture"], in_feed=False, on_site=False,  # sitemap only
             lead="KUCHING, June 2: More than 5,000 visitors thronged the Sarawak Cultural Village in Santubong "
                  "today for its Gawai Dayak open house, the largest turnout since the event began.", more=6),
        dict(post_id=200107, title="State assembly passes bill on water supply rights",
             authors=["Ernest Sagin"], published="2024-05-21 20:30", modified="2024-05-22 12:00",
             section="politics", tags=["State assembly", "Water supply"], jsonld_modified=False,
             lead="KUCHING, May 21: The State Legislative Assembly today passed a bill that makes a treated water "
                  "connection a right for every household within 500 metres of a main supply line.", more=8),
        dict(post_id=200108, title="Rabies: Sarawak vaccinates 60,000 dogs in six months",
             authors=["Nadia Ramli"], published="2024-04-09 10:05", modified=None,
             section="sarawak", tags=["Rabies", "Health"], jsonld_modified=False,
             lead="KUCHING, April 9: Veterinary teams have vaccinated some 60,000 dogs across Sarawak since October, "
                  "but the state still needs to reach 70 per cent coverage to stop the rabies outbreak.", more=6),
        dict(post_id=200109, title="Sarawak FA appoints new head coach for Super League campaign",
             authors=["Marcus Ujang"], published="2024-01-29 15:00", modified="2024-01-29 18:20",
             section="nation", tags=["Football", "Super League"],
             lead="KUCHING, Jan 29: The Sarawak Football Association has appointed a former national youth coach "
                  "to lead the state side in the coming Super League season on a two-year contract.", more=5),
    ],
    "utusanborneo": [
        dict(post_id=300101, title="Kafé ‘Rumah Tok Nan’ jadi tumpuan pelancong di Kuching",
             authors=["Nurul Huda Sebli"], published="2024-08-12 15:15", modified="2024-08-13 09:00",
             section="sarawak", tags=["Pelancongan", "Kuching", "Kafé"], trap="cp1252",
             body=[
                 "KUCHING: Sebuah kafé kecil di Jalan Carpenter yang diberi nama “Rumah Tok Nan” kini menjadi "
                 "tumpuan pelancong tempatan dan asing yang mahu merasai kopi serta kuih tradisional Sarawak.",
                 "Pemiliknya, Puan Zaleha Mortadza, 52, berkata kafé itu dibuka pada Februari lalu di rumah kedai "
                 "peninggalan datuknya yang dibina sekitar tahun 1930-an.",
                 "“Saya mahu pengunjung rasa seperti pulang ke rumah nenek – ada kek lapis, kuih jala dan teh "
                 "tarik,” katanya ketika ditemui di kafé itu semalam.",
                 "Menurutnya, menu kafé turut menyajikan ‘crème brûlée’ gula apong yang dicipta oleh anaknya, "
                 "seorang cef yang pernah bertugas di Paris selama lima tahun.",
                 "Zaleha berkata, purata 300 pengunjung datang setiap hujung minggu, kebanyakannya pelancong dari "
                 "Semenanjung, Brunei dan Singapura.",
                 "Beliau berharap lebih banyak bangunan lama di Kuching dapat dipulihara dan diberi nafas baharu "
                 "sebagai perniagaan kecil yang menarik pelancong ke pusat bandar.",
             ]),
        dict(post_id=300102, title="Penduduk Rumah Nyala terima 40 tangki air daripada JKM",
             authors=["Jimmy Anyi"], published="2024-03-05 15:15", modified=None,
             section="sarawak", tags=["Saratok", "Tangki air"],  # tag + author pages linked only from itself
             in_sitemap=False, in_feed=False, meta_dates=False,  # only visible date; only via section page 3
             lead="SARATOK: Seramai 40 keluarga di Rumah Nyala, Sungai Budu menerima tangki air masing-masing "
                  "daripada Jabatan Kebajikan Masyarakat (JKM) bagi menghadapi musim kemarau.", more=5),
        dict(post_id=300103, title="Lebuh Raya Pan Borneo fasa dua siap 80 peratus",
             authors=["Hairul Nizam Jaini"], published="2024-09-10 11:20", modified="2024-09-11 08:45",
             section="sarawak", tags=["Pan Borneo", "Infrastruktur"], trap="utm",
             lead="MIRI: Kerja-kerja pembinaan Lebuh Raya Pan Borneo fasa dua dari Miri ke Limbang kini mencapai "
                  "80 peratus dan dijangka siap sepenuhnya pada pertengahan tahun depan.", more=7),
        dict(post_id=300104, title="Harga lada hitam naik ke paras tertinggi dalam tempoh lima tahun",
             authors=["Mohd Faizal Bujang"], published="2024-07-08 09:40", modified="2024-07-08 12:10",
             section="ekonomi", tags=["Lada", "Komoditi"],
             lead="KUCHING: Harga lada hitam Sarawak melonjak ke RM32 sekilogram minggu lalu, paras tertinggi dalam "
                  "tempoh lima tahun, didorong permintaan kukuh dari Eropah dan Jepun.", more=6),
        dict(post_id=300105, title="Atlet lawan pedang Sarawak rangkul dua emas di Sukma",
             authors=["Sylvester Rawing"], published="2024-08-22 22:05", modified="2024-08-23 07:30",
             section="sukan", tags=["Sukma", "Lawan pedang"],
             lead="KUCHING: Kontinjen Sarawak menambah dua pingat emas menerusi acara lawan pedang pada hari keenam "
                  "kejohanan Sukan Malaysia (Sukma) di sini malam tadi.", more=5),
        dict(post_id=300106, title="Kes denggi di Sibu menurun selepas gotong-royong perdana",
             authors=["Ajau Lendu"], published="2024-06-18 16:45", modified="2024-06-18 16:45",
             section="sarawak", tags=["Denggi", "Sibu"], in_sitemap=False,
             lead="SIBU: Kes denggi di Bahagian Sibu menurun sebanyak 27 peratus selepas program gotong-royong "
                  "perdana dilaksanakan di 45 taman perumahan sejak April lalu.", more=6),
        dict(post_id=300107, title="Kerajaan perkenal insentif baharu untuk pengusaha inap desa",
             authors=["Nurul Huda Sebli"], published="2024-05-02 10:30", modified="2024-05-03 14:00",
             section="ekonomi", tags=["Pelancongan", "Inap desa"],
             lead="KUCHING: Pengusaha inap desa di luar bandar kini layak memohon geran sehingga RM15,000 bagi "
                  "menaik taraf kemudahan di bawah insentif baharu kerajaan negeri.", more=7),
        dict(post_id=300108, title="Jambatan Batang Lupar dijangka dibuka kepada lalu lintas tahun depan",
             authors=["Hairul Nizam Jaini"], published="2024-04-15 08:20", modified="2024-04-15 11:00",
             section="sarawak", tags=["Jambatan", "Sri Aman"], in_sitemap=False, in_feed=False,
             lead="SRI AMAN: Jambatan Batang Lupar sepanjang 4.4 kilometer, yang bakal menjadi jambatan terpanjang "
                  "di Malaysia, dijangka dibuka kepada lalu lintas pada suku ketiga tahun depan.", more=6),
        dict(post_id=300109, title="Belanjawan negeri fokus kepada bekalan air dan elektrik luar bandar",
             authors=["Mohd Faizal Bujang"], published="2024-02-20 17:10", modified="2024-02-21 09:00",
             section="nasional", tags=["Belanjawan", "Luar bandar"],
             lead="KUCHING: Sebahagian besar peruntukan pembangunan tahun depan akan disalurkan kepada projek "
                  "bekalan air dan elektrik di kawasan luar bandar, kata Premier Sarawak.", more=8),
        dict(post_id=300110, title="Festival Irau Aco Lun Bawang kembali meriah di Lawas",
             authors=["Sylvester Rawing"], published="2024-03-28 19:45", modified="2024-03-29 08:10",
             section="sarawak", tags=["Lun Bawang", "Lawas", "Budaya"], in_feed=False,
             lead="LAWAS: Ribuan pengunjung membanjiri Pusat Kebudayaan Lun Bawang di sini bagi menyaksikan "
                  "Festival Irau Aco Lun Bawang yang kembali diadakan secara besar-besaran tahun ini.", more=6),
    ],
}

CAPTIONS = {
    "en": "File photo for illustration purposes.",
    "ms": "Gambar hiasan.",
}


def _section_name(outlet: str, slug: str) -> str:
    return dict((s, n) for n, s in SECTIONS[outlet])[slug]


def _fill_words(rng: random.Random, lang: str, paras: list[str], lo: int = 120, hi: int = 900) -> list[str]:
    """Keep an article between ``lo`` and ``hi`` words: extend the last paragraph or drop trailing ones."""
    while sum(len(p.split()) for p in paras) < lo:
        paras[-1] += " " + prose.sentence(rng, lang)
    while sum(len(p.split()) for p in paras) > hi and len(paras) > 5:
        paras.pop()
    return paras


def bundled_articles(outlet: str) -> list[Article]:
    out = []
    for spec in BUNDLED[outlet]:
        spec = dict(spec)
        lang = LANG[outlet]
        rng = random.Random(spec["post_id"])
        if "body" in spec:
            paras = list(spec.pop("body"))
        else:
            lead, more = spec.pop("lead"), spec.pop("more")
            paras = [lead]
            for _ in range(more):
                paras.append(" ".join(prose.sentence(rng, lang) for _ in range(rng.randint(2, 3))))
            paras = _fill_words(rng, lang, paras)
        published = myt(spec.pop("published"))
        modified = spec.pop("modified")
        section_slug = spec.pop("section")
        out.append(Article(
            outlet=outlet, slug=slugify(spec["title"]), published=published,
            modified=myt(modified) if modified else None, section=_section_name(outlet, section_slug),
            section_slug=section_slug, lang=lang, paragraphs=paras,
            image=f"{slugify(spec['title'])[:40]}.jpg", caption=CAPTIONS[lang], **spec))
    return out


# ---------------------------------------------------------------- scale-mode generator
EN_TITLES = [
    "{Place} folk welcome {project}", "{Org} to tackle {issue} in {place}", "RM{n}m for {project} in {place}",
    "{Issue} a concern for {group} in {place}, says {role}", "{n} {group} in {place} receive {thing}",
    "{Event} draws {n} visitors to {place}", "Work on {project} in {place} {pct} complete",
    "{Org}: {issue} in {place} under control", "{Place} {group} urged to register with {org}",
    "{Role} calls for faster work on {project}", "Sarawak bags {n2} golds in {sport} at {event}",
    "{Place} traders upbeat ahead of {event}", "Dialogue on {issue} for {group} in {place}",
    "{Org} deploys {n2} teams to {place}", "New plan to curb {issue} in {place} from {month}",
]
MS_TITLES = [
    "Penduduk {place} sambut baik {project}", "{Org} tangani {issue} di {place}",
    "RM{n} juta untuk {project} di {place}", "{Issue} membimbangkan {group} di {place}",
    "{n} {group} di {place} terima {thing}", "{Event} tarik {n} pengunjung ke {place}",
    "{Project} di {place} siap {pct}", "{Org}: Situasi {issue} di {place} terkawal",
    "{Group} {place} digesa mendaftar dengan {org}", "Kerja {project} perlu dipercepat, kata {role}",
    "Peniaga {place} optimis menjelang {event}", "Sesi dialog {issue} bersama {group} di {place}",
    "{Org} hantar {n2} pasukan ke {place}", "Pelan baharu kekang {issue} di {place} mulai {month}",
]
TAG_POOL = {
    "en": ["Kuching", "Miri", "Sibu", "Bintulu", "Health", "Education", "Infrastructure", "Tourism", "Floods",
           "Agriculture", "Water supply", "Football", "Badminton", "Economy", "Rural development", "Culture"],
    "ms": ["Kuching", "Miri", "Sibu", "Bintulu", "Kesihatan", "Pendidikan", "Infrastruktur", "Pelancongan",
           "Banjir", "Pertanian", "Bekalan air", "Bola sepak", "Ekonomi", "Luar bandar", "Budaya"],
}


def _title(rng: random.Random, lang: str) -> str:
    template = rng.choice(EN_TITLES if lang == "en" else MS_TITLES)
    chosen: dict[str, str] = {}

    def fill(match: re.Match) -> str:
        key = match.group(0)
        if key not in chosen:
            chosen[key] = prose._slot_value(rng, match.group(1), lang)
        value = chosen[key]
        if match.group(1)[0].isupper():
            value = value[0].upper() + value[1:]
        return value

    title = prose._SLOT.sub(fill, template)
    return title.replace("RM" + "RM", "RM")


START = datetime(2023, 10, 1, tzinfo=MYT)


def generate_articles(outlet: str, count: int, first_id: int, rng: random.Random,
                      start: datetime = START, span_days: int = 360) -> list[Article]:
    """``count`` distinct articles for ``outlet`` with publication dates spread over ``span_days`` from ``start``."""
    lang = LANG[outlet]
    out = []
    for i in range(count):
        post_id = first_id + i
        title = _title(rng, lang)
        slug = f"{slugify(title)[:70].strip('-')}-{post_id}"  # the id keeps slugs unique at any scale
        published = start + timedelta(minutes=rng.randint(0, span_days * 24 * 60))
        modified = published + timedelta(minutes=rng.randint(0, 3 * 24 * 60)) if rng.random() < 0.8 else None
        section_name, section_slug = rng.choice(SECTIONS[outlet])
        n_paras = rng.randint(5, 12)
        paras = prose.paragraphs(rng, lang, n_paras, dateline=rng.choice(prose.DATELINES))
        paras = _fill_words(rng, lang, paras)
        out.append(Article(
            outlet=outlet, post_id=post_id, slug=slug, title=title,
            authors=[rng.choice(REPORTERS[outlet])], published=published.replace(second=0, microsecond=0),
            modified=modified.replace(second=0, microsecond=0) if modified else None,
            section=section_name, section_slug=section_slug,
            tags=rng.sample(TAG_POOL[lang], rng.randint(1, 3)), lang=lang, paragraphs=paras,
            image=f"img-{post_id}.jpg", caption=CAPTIONS[lang],
            in_sitemap=(outlet != "utusanborneo" or rng.random() < 0.85)))
    return out
