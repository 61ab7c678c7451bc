"""Stock formats regional outlets fill in again and again, in English and Malay, and the facts that fill them.

Each story is a list of paragraphs; each paragraph a list of alternative phrasings of the same content (an
outlet's own copy-editor picks one, a re-editing outlet may pick another). ``{slots}`` are the facts that make
one story different from another of the same format: places, people, figures, dates. Two stories of one format
about different events share most of their wording (the stock phrasing) and differ in exactly those facts,
which is what made the old shingle-only check link them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# --------------------------------------------------------------------------- facts

DISTRICTS = [
    "Kapit", "Song", "Belaga", "Betong", "Saratok", "Lundu", "Serian", "Bau", "Limbang", "Lawas", "Mukah", "Dalat",
    "Daro", "Matu", "Sarikei", "Julau", "Kanowit", "Pakan", "Simunjan", "Asajaya", "Tatau", "Sebauh", "Marudi",
    "Selangau", "Bintulu", "Sibu", "Miri", "Samarahan", "Sri Aman", "Lubok Antu", "Engkilili", "Pusa", "Kabong",
    "Tebedu", "Siburan", "Beluru", "Subis", "Bukit Mabong", "Meradong", "Tanjung Manis", "Padawan", "Batu Kawa",
]
VILLAGES = [
    "Rumah Nyaun", "Rumah Sagah", "Kampung Sungai Arus", "Kampung Hilir", "Rumah Bundong", "Kampung Tanjung Bundong",
    "Rumah Ladang", "Kampung Pueh", "Rumah Juing", "Kampung Semera", "Rumah Lemambang", "Kampung Sebandi Ulu",
    "Rumah Unggal", "Kampung Jemukan", "Rumah Tuai Jimbun", "Kampung Beliong", "Rumah Entalai", "Kampung Rambungan",
    "Rumah Manggat", "Kampung Stunggang Melayu", "Rumah Kudi", "Kampung Buntal", "Rumah Gerasi", "Kampung Tambak",
]
ROADS = [
    "Jalan Kapit-Song", "Jalan Sibu-Bintulu", "Jalan Serian-Sri Aman", "Jalan Lundu-Sematan", "Jalan Miri-Marudi",
    "Jalan Betong-Saratok", "Jalan Mukah-Dalat", "Jalan Sarikei-Julau", "Jalan Bau-Lundu", "Jalan Tatau-Sangan",
    "Jalan Simunjan-Gedong", "Jalan Bintulu-Tatau", "Jalan Pan Borneo near Sungai Tujoh", "Jalan Matang Jaya",
]
GIVEN = [
    "Anyi", "Jimbau", "Nanta", "Rabu", "Bilong", "Lidam", "Sulang", "Gerawat", "Ahmad Zaki", "Mohd Rizal",
    "Hasbi", "Fadzil", "Norazlan", "Sharifah Hasidah", "Rosey", "Jamilah", "Kho Swee", "Ting Kwong", "Wee Jin",
    "Lau Siew", "Chiew Yen", "Mering", "Sagah", "Jugah", "Nyambar", "Entri", "Liwan", "Bayang", "Unting", "Majang",
    "Sylvia", "Dorothy", "Vincent", "Clement", "Raymond", "Douglas", "Gabriel", "Francis", "Yusuf", "Abdul Karim",
]
FAMILY = [
    "Jelian", "Umpang", "Ugat", "Rentap", "Bangkit", "Kadam", "Lingkau", "Sekam", "Tedong", "Rawai", "Jantan",
    "Mohamad", "Morsidi", "Suhaili", "Bakar", "Salleh", "Ismail", "Hamid", "Tiong", "Wong", "Chieng", "Hii",
    "Kiu", "Ngu", "Lim", "Teo", "Ding", "Lau", "Siaw", "Yap", "Ajang", "Tugau", "Ipoi", "Laja", "Madang", "Nyaru",
]
HONORIFIC = ["Datuk", "Dr", "", "", "", "Datu", "Datuk Amar", "Tan Sri", "Datuk Ir", "Ir"]
CAR = ["Perodua Myvi", "Proton Saga", "Toyota Hilux", "Honda City", "Perodua Axia", "Proton X70", "Isuzu D-Max",
       "Toyota Vios", "Ford Ranger", "Perodua Bezza", "Mitsubishi Triton", "Nissan Navara"]
DRUGS = ["syabu", "heroin", "ganja", "ecstasy pills", "erimin 5 pills"]
DRUGS_MS = ["syabu", "heroin", "ganja", "pil ekstasi", "pil erimin 5"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MONTHS_MS = ["Januari", "Februari", "Mac", "April", "Mei", "Jun", "Julai", "Ogos", "September", "Oktober",
             "November", "Disember"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAYS_MS = ["Isnin", "Selasa", "Rabu", "Khamis", "Jumaat", "Sabtu", "Ahad"]
AGENCIES = ["Public Works Department (JKR)", "Rural Water Supply Department", "Sarawak Rivers Board",
            "Drainage and Irrigation Department (DID)", "Land Custody and Development Authority"]
PROJECTS = ["new district hospital", "rural water treatment plant", "bridge across Batang Rajang",
            "upgrading of the district road", "new secondary school", "flood mitigation scheme",
            "community hall and clinic", "riverbank protection works", "new wharf and jetty",
            "sewerage treatment plant"]
PROJECTS_MS = ["hospital daerah baharu", "loji rawatan air luar bandar", "jambatan merentasi Batang Rajang",
               "projek menaik taraf jalan daerah", "sekolah menengah baharu", "rancangan tebatan banjir",
               "dewan serbaguna dan klinik", "kerja-kerja benteng tebing sungai", "dermaga dan jeti baharu"]


def person(rng: random.Random) -> str:
    title = rng.choice(HONORIFIC)
    name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    return f"{title} {name}".strip()


def money(rng: random.Random) -> str:
    return rng.choice([f"RM{rng.randint(2, 95)}.{rng.randint(1, 9)} million", f"RM{rng.randint(120, 980)},000",
                       f"RM{rng.randint(2, 40)} million"])


def money_ms(rng: random.Random) -> str:
    return rng.choice([f"RM{rng.randint(2, 95)}.{rng.randint(1, 9)} juta", f"RM{rng.randint(120, 980)},000",
                       f"RM{rng.randint(2, 40)} juta"])


# --------------------------------------------------------------------------- formats

@dataclass
class Format:
    """A stock story format: a headline and paragraphs (each a list of phrasings), and what fills its slots."""

    name: str
    language: str
    headline: list[str]
    paragraphs: list[list[str]]
    facts: object  # (rng) -> dict of slot values
    optional: set[int] = field(default_factory=set)  # paragraphs an outlet may leave out


def _contractor(rng: random.Random) -> dict:
    return {"place": rng.choice(DISTRICTS), "agency": rng.choice(AGENCIES), "project": rng.choice(PROJECTS),
            "minister": person(rng), "engineer": person(rng), "pct": rng.randint(12, 64),
            "cost": money(rng), "months": rng.randint(3, 18), "done": rng.randint(20, 78),
            "letter": rng.choice(["first", "second", "final"]), "year": rng.randint(2024, 2027),
            "weekday": rng.choice(WEEKDAYS)}


CONTRACTOR = Format(
    "contractor", "en",
    ["Contractor of {place} {project} warned over {pct}pct delay",
     "{place} {project} behind schedule, contractor gets {letter} warning",
     "Minister: {place} project contractor must catch up or be terminated"],
    [["The contractor of the {project} in {place} has been issued a {letter} warning letter after work fell "
      "{pct} per cent behind schedule, said {minister}.",
      "{minister} said the contractor building the {project} in {place} had been given a {letter} warning letter "
      "as the works were {pct} per cent behind schedule."],
     ["Speaking to reporters after visiting the site on {weekday}, he said the project, worth {cost}, was only "
      "{done} per cent complete when it should have been much further along by now.",
      "He told reporters during a site visit on {weekday} that the {cost} project was only {done} per cent complete."],
     ["\"We will not tolerate contractors who fail to deliver. The people of {place} have waited long enough for "
      "this {project},\" he said.",
      "\"The people of {place} have waited long enough. We will not tolerate contractors who fail to deliver,\" "
      "he said."],
     ["He said the {agency} had been told to monitor the progress every week and to report to his ministry if "
      "there was no improvement within {months} months.",
      "According to him, the {agency} would monitor the works weekly and report to the ministry if there was no "
      "improvement in {months} months."],
     ["The contractor cited the shortage of workers, the late delivery of materials and the wet weather as the "
      "main reasons for the delay.",
      "The delay was blamed on a shortage of workers, late delivery of materials and wet weather, he added."],
     ["{engineer}, the {agency} engineer in charge of the project, said the contractor had submitted a recovery "
      "plan that would see more workers and machinery deployed to the site.",
      "The {agency} engineer in charge, {engineer}, said a recovery plan had been submitted by the contractor to "
      "bring more workers and machinery to the site."],
     ["The {project} is expected to be completed by the end of {year} if the recovery plan is followed.",
      "If the recovery plan is followed, the {project} should be completed by the end of {year}."],
     ["He also reminded other contractors in the state that the government would not hesitate to terminate "
      "contracts and blacklist companies that repeatedly failed to meet their deadlines.",
      "Other contractors were reminded that the government would not hesitate to terminate their contracts and "
      "blacklist companies that repeatedly miss deadlines."]],
    _contractor, optional={4, 7})


def _flood(rng: random.Random) -> dict:
    victims = rng.randint(60, 2400)
    return {"place": rng.choice(DISTRICTS), "victims": f"{victims:,}", "families": f"{max(12, victims // 4):,}",
            "centres": rng.randint(2, 19), "village": rng.choice(VILLAGES), "village2": rng.choice(VILLAGES),
            "official": person(rng), "road": rng.choice(ROADS), "km": rng.randint(3, 88),
            "earlier": f"{max(10, victims - rng.randint(10, victims // 2 + 11)):,}", "hour": rng.choice(
                ["8am", "10am", "noon", "4pm", "6pm", "9pm"]), "weekday": rng.choice(WEEKDAYS)}


FLOOD = Format(
    "flood", "en",
    ["{place} flood victims rise to {victims}", "Floods: {victims} evacuated in {place}",
     "More {place} residents moved to relief centres as river rises"],
    [["The number of flood victims in {place} rose to {victims} people from {families} families as of {hour} "
      "today, up from {earlier} this morning.",
      "A total of {victims} people from {families} families in {place} have been evacuated as of {hour} today, "
      "compared with {earlier} earlier in the day."],
     ["They are being housed at {centres} temporary relief centres opened by the district disaster management "
      "committee.",
      "The evacuees are sheltering at {centres} temporary relief centres opened by the district disaster "
      "management committee."],
     ["District disaster management committee chairman {official} said the worst-hit areas were {village} and "
      "{village2}, where water levels had reached the floors of many homes.",
      "{official}, who chairs the district disaster management committee, said {village} and {village2} were the "
      "worst hit, with water reaching the floors of many homes."],
     ["\"Food supplies, drinking water and mattresses have been sent to all the centres, and the Welfare "
      "Department is registering the families for aid,\" he said in a statement.",
      "He said in a statement that food, drinking water and mattresses had been sent to all the centres and that "
      "the Welfare Department was registering the families for aid."],
     ["He added that {road} was closed to all vehicles at Kilometre {km} after a section of the road was "
      "submerged.",
      "{road} has been closed to all vehicles at Kilometre {km} as part of the road is under water, he added."],
     ["The Meteorological Department has issued a warning of continuous heavy rain at the alert level for the "
      "district until {weekday}.",
      "A continuous heavy rain warning at the alert level remains in force for the district until {weekday}, "
      "according to the Meteorological Department."],
     ["Members of the public are advised to stay away from rivers and to follow the instructions of the "
      "authorities if asked to move.",
      "The public is advised to keep away from rivers and to follow instructions from the authorities."]],
    _flood, optional={5, 6})


def _court(rng: random.Random) -> dict:
    month = rng.randrange(12)
    return {"town": rng.choice(["Kuching", "Sibu", "Miri", "Bintulu", "Sri Aman", "Kapit", "Limbang", "Sarikei",
                                "Mukah", "Betong"]),
            "accused": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", "age": rng.randint(19, 63),
            "job": rng.choice(["an odd-job worker", "a lorry driver", "a fisherman", "a security guard",
                               "an unemployed man", "a plantation worker", "a mechanic"]),
            "drug": rng.choice(DRUGS), "grams": f"{rng.randint(1, 480)}.{rng.randint(10, 99)}",
            "magistrate": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", "bail": f"RM{rng.randint(3, 30)},000",
            "day": rng.randint(1, 28), "month": MONTHS[month], "hmonth": MONTHS[(month + 2) % 12],
            "hday": rng.randint(1, 28), "place": rng.choice(VILLAGES + DISTRICTS), "hour": rng.randint(1, 11),
            "ampm": rng.choice(["am", "pm"]), "prosecutor": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"}


COURT = Format(
    "court", "en",
    ["Man charged with possessing {grams}g of {drug}", "{age}-year-old claims trial to {drug} charge",
     "{job} in court over {drug} find"],
    [["A {age}-year-old man pleaded not guilty in the Magistrate's Court here today to a charge of possessing "
      "{grams} grammes of {drug}.",
      "{job} aged {age} claimed trial in the Magistrate's Court here today to possessing {grams} grammes of "
      "{drug}."],
     ["{accused}, {job}, was charged under Section 12(2) of the Dangerous Drugs Act 1952, which carries a fine "
      "of up to RM100,000 or imprisonment of up to five years, or both, upon conviction.",
      "The accused, {accused}, was charged under Section 12(2) of the Dangerous Drugs Act 1952, punishable by a "
      "fine of up to RM100,000 or up to five years in jail, or both."],
     ["He was alleged to have committed the offence at a house in {place} at about {hour}{ampm} on {month} {day}.",
      "The offence was allegedly committed at a house in {place} at about {hour}{ampm} on {month} {day}."],
     ["Magistrate {magistrate} allowed him bail of {bail} with one local surety and fixed {hmonth} {hday} for "
      "mention.",
      "{magistrate}, the magistrate, set bail at {bail} with one local surety and fixed {hmonth} {hday} for "
      "mention."],
     ["Inspector {prosecutor} prosecuted, while the accused was not represented.",
      "The prosecution was conducted by Inspector {prosecutor}; the accused was unrepresented."]],
    _court, optional={4})


def _accident(rng: random.Random) -> dict:
    return {"road": rng.choice(ROADS), "km": rng.randint(2, 95), "victim": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            "age": rng.randint(18, 76), "car": rng.choice(CAR), "car2": rng.choice(CAR),
            "chief": f"Superintendent {rng.choice(GIVEN)} {rng.choice(FAMILY)}", "place": rng.choice(DISTRICTS),
            "hour": rng.randint(1, 11), "min": rng.choice(["05", "15", "20", "30", "40", "50"]),
            "ampm": rng.choice(["am", "pm"]), "hurt": rng.randint(1, 5), "station": rng.choice(DISTRICTS),
            "weekday": rng.choice(WEEKDAYS)}


ACCIDENT = Format(
    "accident", "en",
    ["Driver killed in crash on {road}", "{age}-year-old dies in collision near {place}",
     "One dead, {hurt} hurt in {road} crash"],
    [["A {age}-year-old man was killed when the {car} he was driving collided with a {car2} at Kilometre {km} of "
      "{road} near {place} on {weekday}.",
      "A man aged {age} died when his {car} collided with a {car2} at Kilometre {km} of {road} near {place} on "
      "{weekday}."],
     ["{place} district police chief {chief} said the victim, {victim}, died at the scene from severe head "
      "injuries.",
      "The victim, {victim}, died at the scene of severe head injuries, said {place} district police chief {chief}."],
     ["\"Initial investigations found that the victim's car is believed to have skidded into the opposite lane "
      "before hitting the oncoming vehicle,\" he said in a statement.",
      "He said in a statement that the victim's car was believed to have skidded into the opposite lane before "
      "hitting the oncoming vehicle."],
     ["The driver of the {car2} and his {hurt} passengers suffered injuries and were taken to {station} Hospital "
      "for treatment.",
      "The {car2} driver and {hurt} passengers were injured and sent to {station} Hospital for treatment."],
     ["Police received a call about the crash at {hour}.{min}{ampm}, and firemen from the {station} fire and "
      "rescue station were needed to extricate the victim.",
      "The crash was reported at {hour}.{min}{ampm}; firemen from the {station} station had to cut the victim "
      "free."],
     ["The case is being investigated under Section 41(1) of the Road Transport Act 1987 for causing death by "
      "reckless or dangerous driving.",
      "It is being investigated under Section 41(1) of the Road Transport Act 1987."],
     ["Members of the public with information on the accident are asked to contact the investigating officer "
      "or the nearest police station.",
      "Witnesses are asked to contact the investigating officer or the nearest police station."]],
    _accident, optional={5, 6})


def _grant(rng: random.Random) -> dict:
    return {"rep": person(rng), "seat": rng.choice(["N" + str(rng.randint(1, 82))]) + " " + rng.choice(DISTRICTS),
            "amount": money(rng), "orgs": rng.randint(8, 60), "place": rng.choice(DISTRICTS),
            "hall": rng.choice(["the community hall", "the district office", "the civic centre", "the longhouse ruai"]),
            "village": rng.choice(VILLAGES), "small": f"RM{rng.randint(2, 20)},000", "weekday": rng.choice(WEEKDAYS),
            "churches": rng.randint(2, 14), "schools": rng.randint(2, 12), "year": rng.randint(2024, 2026)}


GRANT = Format(
    "grant", "en",
    ["{amount} in minor rural project grants for {place}", "{rep} hands out {amount} to {orgs} groups",
     "{orgs} associations in {place} receive grants"],
    [["A total of {orgs} associations, churches, surau and schools in {place} received {amount} in Minor Rural "
      "Project (MRP) grants at a ceremony at {hall} on {weekday}.",
      "{orgs} associations, churches, surau and schools in {place} received Minor Rural Project (MRP) grants "
      "totalling {amount} at {hall} on {weekday}."],
     ["Assemblyman for {seat} {rep}, who handed over the cheques, said the grants would be used to repair "
      "community halls and places of worship and to fund programmes for young people.",
      "{rep}, the assemblyman for {seat}, handed over the cheques and said the money was for repairing halls and "
      "places of worship and for youth programmes."],
     ["\"This is the government's way of making sure that every community, no matter how small, benefits from "
      "the state's development,\" he said in his speech.",
      "\"We want every community, no matter how small, to benefit from the state's development,\" he said."],
     ["He said {churches} churches and {schools} schools were among the recipients this year, with the largest "
      "single grant of {small} going to the residents' committee of {village}.",
      "Among the recipients were {churches} churches and {schools} schools, while the residents' committee of "
      "{village} received the largest single grant of {small}, he said."],
     ["He urged the recipients to use the money for the purposes stated in their applications and to keep "
      "their receipts for auditing.",
      "The recipients were reminded to spend the money only on what they applied for and to keep receipts for "
      "the auditors."],
     ["Applications for the {year} grants will open in January, he added.",
      "He added that applications for {year} would open in January."]],
    _grant, optional={4, 5})


def _banjir(rng: random.Random) -> dict:
    victims = rng.randint(60, 2400)
    return {"place": rng.choice(DISTRICTS), "victims": f"{victims:,}", "families": f"{max(12, victims // 4):,}",
            "centres": rng.randint(2, 19), "village": rng.choice(VILLAGES), "village2": rng.choice(VILLAGES),
            "official": person(rng), "road": rng.choice(ROADS), "km": rng.randint(3, 88),
            "earlier": f"{max(10, victims - rng.randint(10, victims // 2 + 11)):,}",
            "hour": rng.choice(["8 pagi", "10 pagi", "12 tengah hari", "4 petang", "6 petang", "9 malam"]),
            "weekday": rng.choice(WEEKDAYS_MS)}


BANJIR = Format(
    "banjir", "ms",
    ["Mangsa banjir di {place} meningkat kepada {victims} orang", "Banjir: {victims} dipindahkan di {place}",
     "Lebih ramai penduduk {place} dipindahkan ke PPS"],
    [["Jumlah mangsa banjir di {place} meningkat kepada {victims} orang daripada {families} keluarga setakat "
      "{hour} ini berbanding {earlier} orang pagi tadi.",
      "Seramai {victims} mangsa daripada {families} keluarga di {place} telah dipindahkan setakat {hour} ini, "
      "berbanding {earlier} orang sebelumnya."],
     ["Mereka ditempatkan di {centres} pusat pemindahan sementara (PPS) yang dibuka oleh jawatankuasa pengurusan "
      "bencana daerah.",
      "Semua mangsa kini berlindung di {centres} pusat pemindahan sementara yang dibuka oleh jawatankuasa "
      "pengurusan bencana daerah."],
     ["Pengerusi jawatankuasa pengurusan bencana daerah {official} berkata kawasan paling teruk terjejas ialah "
      "{village} dan {village2} apabila air naik hingga ke lantai rumah.",
      "Menurut {official} yang mempengerusikan jawatankuasa pengurusan bencana daerah, {village} dan {village2} "
      "paling teruk terjejas dengan air mencecah lantai rumah."],
     ["\"Bekalan makanan, air minuman dan tilam telah dihantar ke semua PPS dan Jabatan Kebajikan Masyarakat "
      "sedang mendaftar keluarga terlibat untuk bantuan,\" katanya dalam satu kenyataan.",
      "Katanya dalam satu kenyataan, makanan, air minuman dan tilam sudah dihantar ke semua PPS manakala Jabatan "
      "Kebajikan Masyarakat sedang mendaftar keluarga untuk bantuan."],
     ["Beliau menambah {road} ditutup kepada semua kenderaan di Kilometer {km} selepas sebahagian jalan itu "
      "ditenggelami air.",
      "{road} turut ditutup kepada semua kenderaan di Kilometer {km} kerana sebahagian jalan dinaiki air, "
      "tambahnya."],
     ["Jabatan Meteorologi telah mengeluarkan amaran hujan lebat berterusan tahap waspada bagi daerah itu "
      "sehingga {weekday}.",
      "Amaran hujan lebat berterusan tahap waspada masih berkuat kuasa bagi daerah itu sehingga {weekday}, "
      "menurut Jabatan Meteorologi."],
     ["Orang ramai dinasihatkan menjauhi sungai dan mematuhi arahan pihak berkuasa jika diminta berpindah.",
      "Orang ramai diingatkan supaya menjauhi kawasan sungai dan mengikut arahan pihak berkuasa."]],
    _banjir, optional={5, 6})


def _mahkamah(rng: random.Random) -> dict:
    month = rng.randrange(12)
    return {"town": rng.choice(["Kuching", "Sibu", "Miri", "Bintulu", "Sri Aman", "Kapit", "Limbang"]),
            "accused": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", "age": rng.randint(19, 63),
            "job": rng.choice(["pekerja kampung", "pemandu lori", "nelayan", "pengawal keselamatan", "penganggur",
                               "pekerja ladang", "mekanik"]),
            "drug": rng.choice(DRUGS_MS), "grams": f"{rng.randint(1, 480)},{rng.randint(10, 99)}",
            "magistrate": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", "bail": f"RM{rng.randint(3, 30)},000",
            "day": rng.randint(1, 28), "month": MONTHS_MS[month], "hmonth": MONTHS_MS[(month + 2) % 12],
            "hday": rng.randint(1, 28), "place": rng.choice(VILLAGES + DISTRICTS), "hour": rng.randint(1, 11),
            "prosecutor": f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"}


MAHKAMAH = Format(
    "mahkamah", "ms",
    ["Lelaki didakwa miliki {grams} gram {drug}", "{job} mengaku tidak bersalah miliki dadah",
     "Lelaki {age} tahun dihadap ke mahkamah atas tuduhan dadah"],
    [["Seorang lelaki berusia {age} tahun mengaku tidak bersalah di Mahkamah Majistret di sini hari ini atas "
      "pertuduhan memiliki {grams} gram {drug}.",
      "Seorang {job} berusia {age} tahun minta dibicarakan di Mahkamah Majistret di sini hari ini atas tuduhan "
      "memiliki {grams} gram {drug}."],
     ["{accused} yang bekerja sebagai {job} didakwa mengikut Seksyen 12(2) Akta Dadah Berbahaya 1952 yang "
      "memperuntukkan denda sehingga RM100,000 atau penjara sehingga lima tahun atau kedua-duanya jika sabit "
      "kesalahan.",
      "Tertuduh, {accused}, didakwa mengikut Seksyen 12(2) Akta Dadah Berbahaya 1952 yang boleh dihukum denda "
      "sehingga RM100,000 atau penjara sehingga lima tahun atau kedua-duanya."],
     ["Dia didakwa melakukan kesalahan itu di sebuah rumah di {place} kira-kira jam {hour} pada {day} {month} "
      "lalu.",
      "Kesalahan itu didakwa dilakukan di sebuah rumah di {place} kira-kira jam {hour} pada {day} {month} lalu."],
     ["Majistret {magistrate} membenarkan tertuduh diikat jamin {bail} dengan seorang penjamin tempatan dan "
      "menetapkan {hday} {hmonth} untuk sebutan semula kes.",
      "{magistrate} selaku majistret menetapkan jaminan {bail} dengan seorang penjamin tempatan dan {hday} "
      "{hmonth} untuk sebutan semula."],
     ["Pendakwaan dikendalikan Inspektor {prosecutor} manakala tertuduh tidak diwakili peguam.",
      "Inspektor {prosecutor} mengendalikan pendakwaan, manakala tertuduh tidak diwakili."]],
    _mahkamah, optional={4})


def _kontraktor(rng: random.Random) -> dict:
    return {"place": rng.choice(DISTRICTS), "project": rng.choice(PROJECTS_MS), "minister": person(rng),
            "engineer": person(rng), "pct": rng.randint(12, 64), "cost": money_ms(rng), "months": rng.randint(3, 18),
            "done": rng.randint(20, 78), "letter": rng.choice(["pertama", "kedua", "terakhir"]),
            "year": rng.randint(2024, 2027), "weekday": rng.choice(WEEKDAYS_MS)}


KONTRAKTOR = Format(
    "kontraktor", "ms",
    ["Kontraktor {project} {place} diberi amaran", "Projek di {place} lewat {pct} peratus",
     "Menteri: Kontraktor projek {place} perlu pulihkan kerja atau ditamatkan"],
    [["Kontraktor {project} di {place} telah dikeluarkan surat amaran {letter} selepas kerja-kerja lewat {pct} "
      "peratus daripada jadual, kata {minister}.",
      "{minister} berkata kontraktor yang membina {project} di {place} diberi surat amaran {letter} kerana "
      "kerja-kerja lewat {pct} peratus daripada jadual."],
     ["Bercakap kepada pemberita selepas melawat tapak projek pada {weekday}, beliau berkata projek bernilai "
      "{cost} itu baru siap {done} peratus.",
      "Beliau memberitahu pemberita ketika lawatan ke tapak projek pada {weekday} bahawa projek bernilai {cost} "
      "itu hanya siap {done} peratus."],
     ["\"Kita tidak akan bertolak ansur dengan kontraktor yang gagal. Rakyat {place} sudah lama menunggu "
      "{project} ini,\" katanya.",
      "\"Rakyat {place} sudah lama menunggu. Kita tidak akan bertolak ansur dengan kontraktor yang gagal,\" "
      "katanya."],
     ["Beliau berkata Jabatan Kerja Raya (JKR) diarah memantau kemajuan projek setiap minggu dan melaporkan "
      "kepada kementerian jika tiada perubahan dalam tempoh {months} bulan.",
      "Menurutnya, JKR akan memantau kerja-kerja setiap minggu dan melapor kepada kementerian jika tiada "
      "perubahan dalam {months} bulan."],
     ["Kontraktor itu memberi alasan kekurangan pekerja, bekalan bahan yang lewat dan cuaca basah sebagai punca "
      "utama kelewatan.",
      "Kelewatan itu berpunca daripada kekurangan pekerja, bahan binaan yang lewat tiba dan cuaca basah, "
      "tambahnya."],
     ["Jurutera JKR yang bertanggungjawab, {engineer}, berkata kontraktor telah mengemukakan pelan pemulihan "
      "untuk menambah pekerja dan jentera di tapak.",
      "{engineer}, jurutera JKR yang menyelia projek itu, berkata pelan pemulihan sudah dikemukakan bagi menambah "
      "pekerja dan jentera."],
     ["{project} itu dijangka siap pada akhir {year} jika pelan pemulihan dipatuhi.",
      "Jika pelan pemulihan dipatuhi, {project} itu sepatutnya siap pada akhir {year}."]],
    _kontraktor, optional={4})

FORMATS = [CONTRACTOR, FLOOD, COURT, ACCIDENT, GRANT, BANJIR, MAHKAMAH, KONTRAKTOR]
