"""Sentence pools for generated English and Malay news prose.

Templates keep their fixed word runs short and fill many slots from large pools, so two generated articles share
very few 5-word shingles (the near-duplicate check must not see them as copies). No template or pool entry may
contain a boilerplate string of the manifest (e.g. "related", "kongsi", "iklan"): ``check_clean`` enforces it.
"""

from __future__ import annotations

import random
import re

# ---------------------------------------------------------------- shared pools
FIRST = [
    "Alexander", "Lina", "Henry", "Jennifer", "Mohd Faizal", "Nur Aisyah", "Stanley", "Grace", "Wong Kah", "Lee Mei",
    "Abang Zulkifli", "Dayang Norhayati", "Jonathan", "Margaret", "Gerald", "Rosalind", "Awang Hafiz", "Siti Mariam",
    "Patrick", "Elizabeth", "Ting Sing", "Chong Wei", "Joseph", "Valerie", "Rambli", "Suriati", "Dennis", "Agnes",
    "Hamdan", "Noraini", "Benedict", "Theresa", "Lau Kiong", "Yong Hui", "Wilson", "Caroline", "Azlan", "Rohani",
    "Kenneth", "Monica", "Ismail", "Zuraidah", "Edmund", "Priscilla", "Sim Hock", "Tan Siew", "Roland", "Juliana",
]
LAST = [
    "Jugah", "Sulong", "Ngelai", "Tingang", "Bujang", "Jaini", "Rawing", "Sagin", "Ngau", "Lah", "Anyi", "Belayong",
    "Entingi", "Kalong", "Mawan", "Sandai", "Jitam", "Unggang", "Lendu", "Usat", "Abdullah", "Osman", "Morshidi",
    "Sabli", "Ahmad", "Kassim", "Wan", "Tang", "Ling", "Ting", "Chua", "Yii", "Kueh", "Lau", "Sim", "Jee",
    "Manggie", "Ensiring", "Libat", "Tuai", "Empaling", "Gima", "Nyipa", "Balan", "Ugak", "Tawie", "Juan", "Dom",
]
TITLE_EN = ["Datuk", "Dr", "", "", "", "Datuk Amar", "Tan Sri", "Datuk Seri", "Councillor", "Professor", "Datin", ""]
TITLE_MS = ["Datuk", "Dr", "", "", "Datuk Amar", "Tan Sri", "Datuk Seri", "Profesor", "Datin", "Encik", "Puan", ""]

PLACES = [
    "Kuching", "Miri", "Sibu", "Bintulu", "Kapit", "Song", "Belaga", "Lundu", "Bau", "Serian", "Simunjan", "Saratok",
    "Betong", "Debak", "Pusa", "Dalat", "Daro", "Matu", "Mukah", "Balingian", "Tatau", "Sebauh", "Niah", "Bekenu",
    "Marudi", "Long Lama", "Limbang", "Lawas", "Ba'kelalan", "Bario", "Julau", "Pakan", "Kanowit", "Selangau",
    "Lubok Antu", "Engkilili", "Sri Aman", "Pantu", "Asajaya", "Sebuyau", "Samarahan", "Siburan", "Padawan",
    "Petra Jaya", "Satok", "Batu Kawa", "Stutong", "Tabuan Jaya", "Beladin", "Roban", "Spaoh", "Kabong", "Igan",
    "Sungai Asap", "Long San", "Sematan", "Tebedu", "Tanjung Manis", "Sarikei", "Meradong", "Bukit Mabong",
]
LONGHOUSES = [
    "Rumah Nyala", "Rumah Jampi", "Rumah Sandai", "Rumah Ujang", "Rumah Belayang", "Rumah Entalai", "Rumah Gerinang",
    "Kampung Sebayor", "Kampung Semeba", "Kampung Bako", "Kampung Pasir Pandak", "Kampung Siol Kandis",
    "Kampung Opar", "Kampung Temenggong", "Kampung Meranek", "Rumah Lasah", "Rumah Kebing", "Rumah Radin",
]
DATELINES = [
    "KUCHING", "MIRI", "SIBU", "BINTULU", "KAPIT", "SRI AMAN", "LIMBANG", "MUKAH", "SARIKEI", "BETONG", "SERIAN",
    "KOTA SAMARAHAN", "LAWAS", "MARUDI", "SARATOK", "BELAGA", "LUNDU", "BAU", "SONG", "DALAT",
]
SPORTS = [
    "badminton", "football", "sepak takraw", "swimming", "athletics", "hockey", "netball", "silat", "karate",
    "cycling", "diving", "squash", "archery", "lawn bowls", "weightlifting", "rowing", "wushu", "bowling",
]

# ---------------------------------------------------------------- English
EN = {
    "role": [
        "Minister of Tourism, Creative Industry and Performing Arts", "Deputy Minister of Public Health",
        "Minister for Utility and Telecommunication", "state Education director", "Deputy Premier",
        "Minister of Infrastructure and Port Development", "mayor", "resident", "district officer",
        "Minister of Food Industry, Commodity and Regional Development", "Youth and Sports Minister",
        "state Health director", "Assistant Minister of Housing", "state Fire and Rescue director",
        "chief executive officer", "chairman", "vice-chancellor", "secretary-general", "community chief",
        "Assistant Minister of Tourism", "state Drainage and Irrigation director", "head coach", "team manager",
        "Minister of Women, Childhood and Community Wellbeing", "principal", "deputy police commissioner",
    ],
    "org": [
        "Sarawak Energy", "the Sarawak Economic Development Corporation", "Kuching North City Commission",
        "Miri City Council", "the Public Works Department", "the Sarawak Timber Industry Development Corporation",
        "the Sarawak Dayak Iban Association", "Universiti Malaysia Sarawak", "Curtin University Malaysia",
        "Swinburne University of Technology Sarawak", "the Sarawak Multimedia Authority",
        "the Drainage and Irrigation Department", "the Fire and Rescue Department", "the state Health Department",
        "the Sarawak Heart Foundation", "Sibu Municipal Council", "Bintulu Development Authority",
        "the Land and Survey Department", "the Sarawak Rivers Board", "Kuching Water Board",
        "the Sarawak Chinese Community Advisory Board", "the Sarawak Convention Bureau", "Sarawak Forestry Corporation",
        "the Malaysian Meteorological Department", "the Social Welfare Department", "the Sarawak Football Association",
        "the Sarawak Sports Corporation", "the Agriculture Department", "the Sarawak Museum Department",
        "the Kuching Chinese General Chamber of Commerce", "the Sarawak Bumiputera Entrepreneurs Chamber",
        "Padawan Municipal Council", "the Civil Defence Force", "the Sarawak Housing Development Commission",
    ],
    "project": [
        "the Pan Borneo Highway", "the Kuching Urban Transportation System", "the second trunk road",
        "the Baleh hydroelectric project", "the Sarawak-Sabah Link Road", "the coastal road network",
        "a new water treatment plant", "the rural electrification scheme", "the Batang Lupar bridge",
        "the Samalaju industrial park", "a green hydrogen production plant", "the digital village programme",
        "a flood mitigation scheme", "the Kuching Northern Bypass", "a new district hospital",
        "the upgrading of rural clinics", "the rural water supply grid", "a new wet market", "the riverfront esplanade",
        "a community hall", "the longhouse road programme", "a solar hybrid station", "a new ferry terminal",
        "the satellite town plan", "the dilapidated schools programme", "a multi-purpose sports complex",
        "the telecommunication tower programme", "a new bus interchange", "the drainage upgrade",
    ],
    "issue": [
        "water supply disruptions", "flash floods", "rising prices of essential goods", "dengue cases",
        "road safety", "youth unemployment", "poor internet coverage in rural areas", "haze", "rabies cases",
        "native customary rights land disputes", "dilapidated schools", "the shortage of doctors",
        "illegal logging", "coastal erosion", "stray dogs", "traffic congestion", "low rubber prices",
        "the high cost of air travel", "river pollution", "food security", "drug abuse among teenagers",
        "the migration of young people to cities", "landslides along hill roads", "frequent power trips",
        "online scams", "the shortage of teachers", "illegal dumping", "the lack of proper bus services",
    ],
    "event": [
        "the Rainforest World Music Festival", "Gawai Dayak", "the Borneo Cultural Festival", "the Kuching Marathon",
        "the Sarawak Regatta", "a Hari Raya open house", "the Chinese New Year celebration",
        "the Malaysia Day parade", "the Sukma Games", "the Borneo International Kite Festival",
        "the Kuching Waterfront bazaar", "the Miri Country Music Road Show", "the Baram Regatta",
        "a longhouse Gawai gathering", "the state-level Teachers Day", "the Sarawak Craft Council expo",
        "the Harvest Festival", "the Kaul Festival in Mukah", "the Kuching Food Festival", "a charity fun run",
        "the Sibu Dragon Boat Regatta", "the Borneo Jazz Festival", "a career fair", "the state agriculture show",
    ],
    "group": [
        "farmers", "fishermen", "teachers", "nurses", "traders", "students", "longhouse residents", "villagers",
        "youths", "senior citizens", "small business owners", "pepper growers", "taxi drivers", "civil servants",
        "athletes", "parents", "volunteers", "homestay operators", "rubber tappers", "food hawkers",
        "oil palm smallholders", "boat operators", "craftswomen", "single mothers", "contractors", "tour guides",
    ],
    "thing": [
        "food baskets", "school uniforms", "laptops", "water tanks", "fishing nets", "solar lamps", "seedlings",
        "fertiliser", "outboard engines", "wheelchairs", "hampers", "rice", "first-aid kits", "books",
        "sewing machines", "generators", "life jackets", "sports equipment", "blankets", "cooking gas cylinders",
    ],
    "said": ["said", "told reporters", "pointed out", "noted", "added", "stressed", "explained", "remarked"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "adj": [
        "significant", "steady", "encouraging", "modest", "remarkable", "sharp", "gradual", "welcome", "worrying",
        "unexpected", "consistent", "substantial", "slight", "notable",
    ],
    "month": [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ],
}

EN_SENTENCES = [
    "The {role} {said} {n} {group} in {place} would benefit from {project}.",
    "{Person} {said} the state government had set aside {rm} for {project} in {place}.",
    "According to {Person}, {issue} remained a concern among {group} in {place}.",
    "Some {n} {group} from {longhouse} near {place} turned up for the briefing on {day}.",
    "{Org} is expected to complete {project} by {year}, ahead of the original schedule.",
    "{Person}, who is also the {role}, urged {group} to register early with {org}.",
    "Work on {project} had reached {pct} completion as of last {month}.",
    "“We have received many complaints about {issue} and we are acting on them,” {Person} {said}.",
    "“This is a {adj} step for the people of {place},” {said2} {Person}.",
    "{Org} recorded {pct} more visitors during {event} compared with last year.",
    "{Person} handed over {thing} to {n} {group} at {longhouse} on {day}.",
    "Residents of {place} had waited almost {n2} years for {project}, {he} {said}.",
    "The programme, which costs {rm}, will be rolled out in {place} and {place2} first.",
    "{He} also reminded {group} to be wary of {issue} during {event}.",
    "A total of {n} cases of {issue} were reported in {place} from {month} to {month2}.",
    "{Org} and {org2} signed a memorandum of understanding to tackle {issue}.",
    "{Person} hoped {org} would speed up {project} so that {group} in {place} could benefit.",
    "{He} {said} {org} had identified {n2} hotspots for {issue} around {place}.",
    "Among those present were {Person} and {Person2}, the {role}.",
    "The state has allocated {rm} this year alone to address {issue}.",
    "Earlier, {Person} launched {event} at {place}, which drew about {n} visitors.",
    "Asked about {issue}, {he} {said} a special committee chaired by the {role} would study it.",
    "{Person} {said} {group} in {place} should not be left behind in {project}.",
    "{Org} will hold a dialogue with {group} in {place} next {day} to gather feedback.",
    "The {role} disclosed that {pct} of the {rm} allocation had been spent so far.",
    "{He} thanked {org} for its {adj} support in organising {event}.",
    "Police have opened an investigation after {n2} {group} lodged reports over {issue} in {place}.",
    "The {adj} increase was largely attributed to {project}, {Person} {said}.",
    "{Person} added that {n} {thing} had been distributed to {group} since {month}.",
    "Villagers from {longhouse} said {issue} had worsened after heavy rain last {month}.",
    "Under the plan, {group} in {place} will receive {thing} worth {rm} in total.",
    "{Org} has deployed {n2} teams to {place} following {issue}.",
    "It was a {adj} turnout, with {n} {group} taking part in {event} in {place}.",
    "Meanwhile, the {role} said {project} would create about {n} jobs for locals.",
    "{Person} was speaking to reporters after officiating {event} at {place} on {day}.",
    "The state cabinet approved {project} at its meeting last {day}, {he} revealed.",
    "{He} {said} the ministry would work closely with {org} on {issue}.",
    "{Person} described the response from {group} in {place} as {adj}.",
    "The {n2}-day {event} ended on {day} with a closing ceremony attended by {Person}.",
    "Data from {org} showed a {adj} drop in {issue} in {place} over the past {n2} months.",
    "“I call on {group} to give their full cooperation to {org},” said {Person}.",
    "Several {group} in {place} told this newspaper they welcomed {project}.",
    "The proposal will be tabled at the next sitting of the State Legislative Assembly in {month}.",
    "{Org} said in a statement that {issue} in {place} was under control.",
    "A {sport} clinic for {n} young athletes was held at {place} as part of {event}.",
    "Sarawak finished the {sport} competition with {n2} gold medals, {Person} {said}.",
    "{Person} scored twice as Sarawak beat their rivals {score} at the {place} stadium on {day}.",
    "The {sport} squad will train in {place} for {n2} weeks before {event}.",
    "{Person} {said} the {sport} team had set a target of {n2} medals at {event}.",
    "Exports of pepper and palm oil rose {pct} in the first half, figures from {org} show.",
    "{Org} posted a net profit of {rm} for the quarter ended {month}, up {pct}.",
    "Bank loans to small businesses in {place} grew by {pct}, {Person} {said}.",
    "Investors from {n2} countries have shown interest in {project}, according to {Person}.",
    "The {role} expects tourist arrivals to {place} to hit {n}000 by the end of {year}.",
    "Prices of {thing} at the {place} market went up by {pct} ahead of {event}.",
    "{He} {said} the target was to connect every longhouse in {place} to treated water by {year}.",
    "The ceremony at {longhouse} was also attended by {Person2} and community leaders.",
    "{Person} noted that {n} applications had been received from {group} in {place}.",
    "{Org} will open a counter at {place} every {day} to help {group} with their applications.",
]

# ---------------------------------------------------------------- Malay
MS = {
    "role": [
        "Menteri Pelancongan, Industri Kreatif dan Seni Persembahan", "Timbalan Menteri Kesihatan Awam",
        "Menteri Utiliti dan Telekomunikasi", "Pengarah Pendidikan Negeri", "Timbalan Premier",
        "Menteri Infrastruktur dan Pembangunan Pelabuhan", "Datuk Bandar", "Residen Bahagian", "Pegawai Daerah",
        "Menteri Industri Makanan, Komoditi dan Pembangunan Wilayah", "Menteri Belia dan Sukan",
        "Pengarah Kesihatan Negeri", "Timbalan Menteri Perumahan", "Pengarah Bomba dan Penyelamat negeri",
        "Ketua Pegawai Eksekutif", "Pengerusi", "Naib Canselor", "Setiausaha Agung", "Ketua Masyarakat",
        "Pengarah Jabatan Pengairan dan Saliran negeri", "Ketua Jurulatih", "Pengurus Pasukan", "Pengetua",
        "Menteri Wanita, Kanak-Kanak dan Pembangunan Kesejahteraan Komuniti", "Ketua Polis Daerah",
    ],
    "org": [
        "Jabatan Kerja Raya (JKR)", "Majlis Bandaraya Kuching Selatan (MBKS)", "Lembaga Air Kuching",
        "Jabatan Bomba dan Penyelamat Malaysia (JBPM)", "Jabatan Kesihatan Negeri", "Universiti Malaysia Sarawak",
        "Perbadanan Pembangunan Ekonomi Sarawak (SEDC)", "Jabatan Pengairan dan Saliran (JPS)",
        "Jabatan Kebajikan Masyarakat (JKM)", "Angkatan Pertahanan Awam Malaysia (APM)", "Jabatan Pertanian",
        "Lembaga Sungai-Sungai Sarawak", "Jabatan Tanah dan Survei", "Majlis Perbandaran Sibu",
        "Lembaga Kemajuan Bintulu", "Perbadanan Sukan Sarawak", "Persatuan Bola Sepak Sarawak",
        "Majlis Islam Sarawak", "Jabatan Muzium Sarawak", "Dewan Bahasa dan Pustaka Cawangan Sarawak",
        "Tabung Ekonomi Gagasan Anak Bumiputera Sarawak", "Majlis Perbandaran Padawan", "Sarawak Energy",
        "Jabatan Meteorologi Malaysia", "Persatuan Nelayan Kawasan", "Jabatan Pendidikan Negeri",
    ],
    "project": [
        "Lebuh Raya Pan Borneo", "projek bekalan air luar bandar", "jambatan Batang Lupar",
        "sistem pengangkutan bandar Kuching", "program pendigitalan luar bandar", "loji rawatan air baharu",
        "jalan pesisir pantai", "projek tebatan banjir", "hospital daerah baharu", "klinik desa yang dinaik taraf",
        "pasar basah baharu", "dewan serbaguna kampung", "jalan ke rumah panjang", "stesen hibrid solar",
        "terminal feri baharu", "program sekolah daif", "kompleks sukan pelbagai guna", "menara telekomunikasi",
        "terminal bas baharu", "naik taraf sistem saliran", "projek perumahan mampu milik", "jeti nelayan baharu",
        "pusat latihan kemahiran belia", "laluan pejalan kaki tebing sungai", "projek elektrik luar bandar",
    ],
    "issue": [
        "gangguan bekalan air", "banjir kilat", "kenaikan harga barang keperluan", "kes denggi",
        "keselamatan jalan raya", "pengangguran belia", "liputan internet yang lemah di kawasan pedalaman",
        "jerebu", "kes rabies", "pertikaian tanah hak adat bumiputera", "sekolah daif", "kekurangan doktor",
        "pembalakan haram", "hakisan pantai", "anjing liar", "kesesakan lalu lintas", "harga getah yang rendah",
        "tambang penerbangan yang tinggi", "pencemaran sungai", "keselamatan makanan", "penyalahgunaan dadah",
        "penghijrahan golongan muda ke bandar", "tanah runtuh", "gangguan bekalan elektrik", "penipuan dalam talian",
        "kekurangan guru", "pembuangan sampah haram", "perkhidmatan bas yang terhad",
    ],
    "event": [
        "Pesta Gawai", "Festival Muzik Hutan Hujan", "Karnival Kebudayaan Borneo", "Regata Sarawak",
        "majlis rumah terbuka Aidilfitri", "sambutan Hari Malaysia", "Sukan Malaysia (Sukma)",
        "Pesta Layang-Layang Antarabangsa Borneo", "Pesta Kaul di Mukah", "Karnival Jualan Murah",
        "sambutan Hari Guru peringkat negeri", "Pameran Pertanian Negeri", "larian amal", "Festival Makanan Kuching",
        "Regata Baram", "Pesta Kraf Sarawak", "Karnival Kerjaya", "Majlis Tilawah Al-Quran peringkat negeri",
        "Pesta Benak Sri Aman", "Festival Irau Aco Lun Bawang", "program gotong-royong perdana",
    ],
    "group": [
        "petani", "nelayan", "guru", "jururawat", "peniaga", "pelajar", "penduduk rumah panjang", "penduduk kampung",
        "belia", "warga emas", "pengusaha kecil", "penanam lada", "pemandu teksi", "penjawat awam", "atlet",
        "ibu bapa", "sukarelawan", "pengusaha inap desa", "penoreh getah", "penjaja", "pekebun kecil sawit",
        "pengusaha bot", "tukang kraf wanita", "ibu tunggal", "kontraktor", "pemandu pelancong",
    ],
    "thing": [
        "bakul makanan", "pakaian sekolah", "komputer riba", "tangki air", "pukat", "lampu solar", "anak benih",
        "baja", "enjin sangkut", "kerusi roda", "barangan keperluan asas", "beras", "peti pertolongan cemas",
        "buku", "mesin jahit", "generator", "jaket keselamatan", "peralatan sukan", "selimut", "tong gas memasak",
    ],
    "said": ["katanya", "jelasnya", "tambahnya", "ujarnya", "menurut beliau", "tegasnya"],
    "day": ["Isnin", "Selasa", "Rabu", "Khamis", "Jumaat", "Sabtu", "Ahad"],
    "adj": ["memberangsangkan", "ketara", "sederhana", "luar biasa", "membimbangkan", "menggalakkan", "stabil"],
    "month": [
        "Januari", "Februari", "Mac", "April", "Mei", "Jun", "Julai", "Ogos", "September", "Oktober", "November",
        "Disember",
    ],
}

MS_SENTENCES = [
    "Kerajaan negeri memperuntukkan {rm} bagi {project} di {place}, {said}.",
    "{Person} berkata {issue} masih menjadi kebimbangan dalam kalangan {group} di {place}.",
    "Seramai {n} {group} dari {longhouse} berhampiran {place} hadir pada taklimat hari {day} lepas.",
    "{Org} dijangka menyiapkan {project} menjelang {year}, lebih awal daripada jadual asal.",
    "{Person} yang juga {role} menggesa {group} mendaftar segera dengan {org}.",
    "Kerja-kerja {project} telah mencapai {pct} setakat {month} lalu.",
    "“Kami menerima banyak aduan berhubung {issue} dan tindakan sedang diambil,” kata {Person}.",
    "“Ini langkah yang {adj} untuk rakyat {place},” ujar {Person}.",
    "{Org} merekodkan peningkatan {pct} pengunjung sepanjang {event} berbanding tahun lalu.",
    "{Person} menyampaikan {thing} kepada {n} {group} di {longhouse} pada hari {day}.",
    "Penduduk {place} telah menunggu hampir {n2} tahun untuk {project}, {said}.",
    "Program bernilai {rm} itu akan dilaksanakan di {place} dan {place2} terlebih dahulu.",
    "Beliau turut mengingatkan {group} supaya berwaspada terhadap {issue} sepanjang {event}.",
    "Sebanyak {n} kes {issue} dilaporkan di {place} dari {month} hingga {month2}.",
    "{Org} dan {org2} menandatangani memorandum persefahaman bagi menangani {issue}.",
    "{Person} berharap {org} dapat mempercepatkan {project} supaya {group} di {place} mendapat manfaat.",
    "Menurut beliau, {org} telah mengenal pasti {n2} kawasan panas {issue} di sekitar {place}.",
    "Turut hadir {Person} dan {Person2} selaku {role}.",
    "Negeri ini memperuntukkan {rm} tahun ini sahaja untuk menangani {issue}.",
    "Terdahulu, {Person} merasmikan {event} di {place} yang menarik kira-kira {n} pengunjung.",
    "Mengulas mengenai {issue}, beliau berkata satu jawatankuasa khas yang dipengerusikan {role} akan mengkajinya.",
    "{Person} menegaskan {group} di {place} tidak harus ketinggalan dalam {project}.",
    "{Org} akan mengadakan sesi dialog bersama {group} di {place} pada hari {day} depan.",
    "{Role} itu mendedahkan bahawa {pct} daripada peruntukan {rm} telah dibelanjakan setakat ini.",
    "Beliau merakamkan penghargaan kepada {org} atas sokongan yang {adj} dalam menjayakan {event}.",
    "Polis membuka kertas siasatan selepas {n2} {group} membuat laporan berhubung {issue} di {place}.",
    "Peningkatan yang {adj} itu sebahagian besarnya didorong oleh {project}, {said}.",
    "{Person} menambah, {n} unit {thing} telah diagihkan kepada {group} sejak {month}.",
    "Penduduk {longhouse} memberitahu {issue} semakin teruk selepas hujan lebat pada {month} lalu.",
    "Di bawah pelan itu, {group} di {place} akan menerima {thing} bernilai {rm} keseluruhannya.",
    "{Org} telah menghantar {n2} pasukan ke {place} susulan {issue}.",
    "Sambutan amat {adj} dengan penyertaan {n} {group} dalam {event} di {place}.",
    "Sementara itu, {role} berkata {project} dijangka mewujudkan kira-kira {n} peluang pekerjaan.",
    "{Person} berkata demikian kepada pemberita selepas merasmikan {event} di {place} pada hari {day}.",
    "Mesyuarat kabinet negeri meluluskan {project} pada hari {day} lepas, dedah beliau.",
    "Kementerian akan bekerjasama rapat dengan {org} bagi menangani {issue}, {said}.",
    "{Person} menyifatkan maklum balas daripada {group} di {place} sebagai {adj}.",
    "Data {org} menunjukkan penurunan {adj} kes {issue} di {place} dalam tempoh {n2} bulan.",
    "“Saya menyeru {group} memberikan kerjasama penuh kepada {org},” kata {Person}.",
    "Beberapa {group} di {place} yang ditemui menyambut baik {project}.",
    "Cadangan itu akan dibentangkan pada persidangan Dewan Undangan Negeri bulan {month} ini.",
    "Dalam satu kenyataan, {org} memaklumkan situasi {issue} di {place} terkawal.",
    "Pasukan Sarawak menamatkan saingan dengan {n2} pingat emas, {said}.",
    "Eksport lada dan minyak sawit meningkat {pct} pada separuh pertama tahun ini, menurut {org}.",
    "Harga {thing} di pasar {place} naik {pct} menjelang {event}.",
    "Sasaran kerajaan ialah menyambungkan setiap rumah panjang di {place} dengan bekalan air terawat menjelang {year}.",
    "{Person} memaklumkan sebanyak {n} permohonan diterima daripada {group} di {place}.",
    "{Org} akan membuka kaunter di {place} setiap hari {day} untuk membantu {group}.",
]

_SLOT = re.compile(r"\{(\w+?)(\d?)\}")


def person(rng: random.Random, lang: str = "en") -> str:
    title = rng.choice(TITLE_EN if lang == "en" else TITLE_MS)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return f"{title} {name}".strip()


def _slot_value(rng: random.Random, name: str, lang: str) -> str:
    pools = EN if lang == "en" else MS
    low = name.lower()
    if low == "person":
        return person(rng, lang)
    if low == "he":
        return rng.choice(["he", "she"])
    if low == "place":
        return rng.choice(PLACES)
    if low == "longhouse":
        return rng.choice(LONGHOUSES)
    if low == "sport":
        return rng.choice(SPORTS)
    if low == "n":
        return str(rng.randint(12, 980))
    if low == "year":
        return str(rng.randint(2025, 2030))
    if low == "score":
        return f"{rng.randint(1, 5)}-{rng.randint(0, 3)}"
    if low == "pct":
        return f"{rng.randint(3, 94)} per cent" if lang == "en" else f"{rng.randint(3, 94)} peratus"
    if low == "rm":
        if lang == "en":
            return f"RM{rng.randint(1, 950)}.{rng.randint(1, 9)} million"
        return f"RM{rng.randint(1, 950)}.{rng.randint(1, 9)} juta"
    if low == "n2":
        return str(rng.randint(2, 18))
    value = rng.choice(pools[low])
    return value


def sentence(rng: random.Random, lang: str) -> str:
    template = rng.choice(EN_SENTENCES if lang == "en" else MS_SENTENCES)
    chosen: dict[str, str] = {}

    def fill(match: re.Match) -> str:
        key = match.group(0)
        if key not in chosen:
            chosen[key] = _slot_value(rng, match.group(1), lang)
        value = chosen[key]
        # Capitalised slot name = sentence-initial use ("{Org} said" -> "The Drainage ...").
        if match.group(1)[0].isupper():
            value = value[0].upper() + value[1:]
        return value

    return _SLOT.sub(fill, template)


def paragraphs(rng: random.Random, lang: str, n_paragraphs: int, dateline: str | None = None) -> list[str]:
    """``n_paragraphs`` paragraphs of 1-3 sentences; the first starts with a dateline (``KUCHING:``)."""
    out = []
    for i in range(n_paragraphs):
        text = " ".join(sentence(rng, lang) for _ in range(rng.randint(1, 3)))
        if i == 0 and dateline:
            text = f"{dateline}: {text}"
        out.append(text)
    return out


def check_clean(text: str, boilerplate: list[str]) -> None:
    """Raise if article prose contains a boilerplate string (case-insensitive): the traps must stay separable."""
    low = text.lower()
    for phrase in boilerplate:
        if phrase.lower() in low:
            raise ValueError(f"article prose contains boilerplate {phrase!r}: {text[:80]!r}")
