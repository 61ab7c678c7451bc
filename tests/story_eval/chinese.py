"""Chinese (Simplified, as Sarawak's Chinese dailies print) same-story pairs, built like tests/story_eval/corpus.py:

* ``wire_edit``: one story and a re-edit of it (dateline town rewritten, one or two paragraphs re-phrased, an
  own intro added or the last paragraph cut, "相关新闻" lines and the outlet's footer);
* ``templated``: two stories of one stock format about different events (other towns, people, figures);
* ``same_event``: the same event, the next update (new figures, the next warning letter).

Deterministic; nothing drawn from the replica.
"""

from __future__ import annotations

import random

from tests.story_eval.corpus import Article, Pair

TOWNS = ["加帛", "诗巫", "美里", "民都鲁", "泗里街", "木中", "老越", "成邦江", "石角", "西连", "伦乐", "林梦", "斯里阿曼",
         "实巴荷", "沐胶", "达叻", "马都", "拉让", "卡诺维", "巴甘", "砂拉卓", "都东", "峇南", "南榜"]
PEOPLE = ["刘德明", "黄国华", "张志强", "林美玲", "陈伟杰", "王建民", "李文辉", "吴振华", "郑秀英", "刘金凤", "阿末扎基",
          "莫哈末里扎", "沙巴鲁丁", "安迪佐", "许家豪", "苏志明", "邱文龙", "谢丽华", "江永发", "蔡明亮"]
TITLES = ["拿督", "丹斯里", "拿督斯里", "", ""]
AGENCIES = ["公共工程局", "乡区供水局", "砂河流局", "水利灌溉局", "土地发展局"]
PROJECTS = ["新医院", "供水站", "跨河大桥", "道路提升工程", "新中学", "防洪工程", "社区礼堂", "码头"]
VILLAGES = ["鲁马尼奥长屋", "双溪阿路村", "希利尔村", "丹绒邦东村", "鲁马拉当长屋", "普厄村", "塞梅拉村"]
RIVERS = ["拉让江", "巴南河", "林梦河", "卢巴河", "沙捞越河"]
DRUGS = ["冰毒", "海洛因", "大麻", "摇头丸"]

FORMATS = {
    "contractor": [
        ["（{town}{day}日讯）{agency}今日向负责{town}{project}的承包商发出第{n}封警告信，因为工程已延误{delay}天。",
         "（{town}{day}日讯）由于{town}{project}工程延误{delay}天，{agency}已向承包商发出第{n}封警告信。"],
        ["{title}{person}表示，该工程耗资{cost}万令吉，原定于{month}月完工，但至今只完成了{pct}%。",
         "{title}{person}指出，这项耗资{cost}万令吉的工程原本应在{month}月竣工，目前进度只有{pct}%。"],
        ["他说，如果承包商未能在{weeks}个星期内加快进度，当局将考虑终止合约，并将工程交给其他承包商。",
         "他说，承包商必须在{weeks}个星期内改善工程进度，否则当局将终止合约。"],
        ["{person}是在巡视{town}{project}工地时，向媒体发表这番谈话。",
         "他是在视察{town}{project}工地后，接受媒体访问时这么说。"],
        ["他也促请当地居民耐心等待，并表示政府会确保工程的质量不受影响。",
         "他也呼吁居民给予谅解，强调政府不会在工程质量上妥协。"],
        ["出席者包括{town}县长{person2}及{agency}官员。", "{town}县长{person2}和{agency}官员也在场。"],
    ],
    "flood": [
        ["（{town}{day}日讯）{town}的水灾灾情恶化，截至今日下午{hour}时，疏散中心的灾民人数已增至{victims}人，来自{families}个家庭。",
         "（{town}{day}日讯）截至今日下午{hour}时，{town}共有{families}个家庭、{victims}名灾民被安置在疏散中心，灾情持续恶化。"],
        ["{town}民防部队主任{person}表示，目前共开放了{centres}个疏散中心，其中以{village}的灾民最多。",
         "民防部队{town}县主任{person}指出，当局已开放{centres}个疏散中心，{village}一带灾民人数最多。"],
        ["他说，{river}的水位仍在上升，预料未来{hours}小时内将继续下雨。",
         "他说，气象局预测未来{hours}小时仍会下雨，{river}水位持续上升。"],
        ["当局呼吁居住在低洼地区的居民提高警惕，随时准备撤离。", "他促请低洼地区居民时刻保持警惕，一旦接到指示立即撤离。"],
        ["{town}县长{person2}也到疏散中心探望灾民，并移交食物及日常用品。",
         "与此同时，{town}县长{person2}亲自到疏散中心慰问灾民，并分发食品。"],
    ],
    "drugs": [
        ["（{town}{day}日讯）一名{age}岁男子今日在{town}推事庭被控持有{weight}克{drug}，但他不认罪。",
         "（{town}{day}日讯）{age}岁男子被控持有{weight}克{drug}，今日在{town}推事庭否认控状。"],
        ["被告{person}被控于{month}月{date}日晚上{hour}时许，在{village}一间屋子内持有上述毒品。",
         "控状指被告{person}于{month}月{date}日晚上约{hour}时，在{village}一间住家持有该批毒品。"],
        ["若罪名成立，被告可被判坐牢不少于{years}年及鞭打。", "一旦罪成，被告将面对不少于{years}年监禁及鞭刑。"],
        ["推事{person2}准许被告以{bail}令吉及一名担保人保释，并将案件押后至{month2}月{date2}日再提。",
         "推事{person2}批准被告以{bail}令吉保释外出，案件押后至{month2}月{date2}日再审。"],
        ["控方由副检察司{person3}负责，被告则没有律师代表。", "副检察司{person3}代表控方，被告无律师代表。"],
    ],
}
OWN_INTRO = "本报记者走访发现，{town}居民自周末以来一直在等待最新消息。"
FOOTERS = ["相关新闻：{town}议会提升沟渠", "欢迎关注本报脸书专页，掌握砂州最新新闻。", ""]


def _facts(rng: random.Random) -> dict:
    person, person2, person3 = rng.sample(PEOPLE, 3)
    return dict(town=rng.choice(TOWNS), day=rng.randint(1, 28), agency=rng.choice(AGENCIES),
                project=rng.choice(PROJECTS), n=rng.randint(1, 3), delay=rng.randint(30, 400),
                title=rng.choice(TITLES), person=person, person2=person2, person3=person3,
                cost=rng.randint(50, 9000), month=rng.randint(1, 12), pct=rng.randint(10, 90),
                weeks=rng.randint(2, 8), hour=rng.randint(1, 11), victims=rng.randint(20, 3000),
                families=rng.randint(5, 800), centres=rng.randint(1, 20), village=rng.choice(VILLAGES),
                river=rng.choice(RIVERS), hours=rng.choice([12, 24, 48, 72]), age=rng.randint(18, 60),
                weight=rng.randint(1, 900), drug=rng.choice(DRUGS), date=rng.randint(1, 28),
                years=rng.choice([2, 5]), bail=rng.randint(2, 20) * 1000, month2=rng.randint(1, 12),
                date2=rng.randint(1, 28))


def _text(fmt: str, facts: dict, choices: list[int], keep: list[int], extra_top: str = "", footer: str = "") -> str:
    paras = [FORMATS[fmt][i][choices[i]].format(**facts) for i in keep]
    if extra_top:
        paras.insert(0, extra_top.format(**facts))
    if footer:
        paras.append(footer.format(**facts))
    return "\n".join(paras)


def _story(fmt: str, facts: dict, rng: random.Random) -> list[int]:
    return [rng.randint(0, len(p) - 1) for p in FORMATS[fmt]]


def pairs(seed: int = 15, per_class: int = 90) -> list[Pair]:
    rng = random.Random(seed)
    out: list[Pair] = []
    fmts = sorted(FORMATS)

    def article(text: str, outlet: str) -> Article:
        return Article(text.split("\n", 1)[0][:20], text, outlet, "zh")

    for k in range(per_class):
        fmt = fmts[k % len(fmts)]
        n = len(FORMATS[fmt])
        facts = _facts(rng)
        choices = _story(fmt, facts, rng)
        a = _text(fmt, facts, choices, list(range(n)), footer=rng.choice(FOOTERS))
        # wire_edit: a re-edit as in corpus.py (one paragraph re-phrased, a second one time in three, the dateline
        # town rewritten, an own intro or the last paragraph cut)
        edit = list(choices)
        for i in rng.sample(range(n), 2 if rng.random() < 1 / 3 else 1):
            edit[i] = 1 - edit[i]
        keep = list(range(n - 1)) if rng.random() < 0.5 else list(range(n))
        copy_facts = dict(facts)
        b = _text(fmt, copy_facts, edit, keep, extra_top=OWN_INTRO if rng.random() < 0.5 else "",
                  footer=rng.choice(FOOTERS))
        b = b.replace(f"（{facts['town']}{facts['day']}日讯）", f"（古晋{facts['day']}日讯）", 1)
        out.append(Pair("wire_edit", fmt, article(a, "seehua"), article(b, "intimes")))
        # templated: the same format, another event (one fact shared now and then: the same town)
        other = _facts(rng)
        if rng.random() < 0.3:
            other["town"] = facts["town"]
        c = _text(fmt, other, _story(fmt, other, rng), list(range(n)), footer=rng.choice(FOOTERS))
        out.append(Pair("templated", fmt, article(a, "seehua"), article(c, "seehua")))
        # same_event: the next update of the same story: the same place and people, new figures
        update = dict(facts, victims=facts["victims"] + rng.randint(50, 900), hour=(facts["hour"] + 4) % 12 + 1,
                      families=facts["families"] + rng.randint(10, 200), n=facts["n"] + 1,
                      delay=facts["delay"] + rng.randint(30, 90), pct=min(99, facts["pct"] + rng.randint(5, 20)),
                      bail=facts["bail"] + 5000, weight=facts["weight"] + rng.randint(10, 90),
                      day=facts["day"] % 28 + 1, centres=facts["centres"] + rng.randint(1, 5))
        d = _text(fmt, update, choices, list(range(n)), footer=rng.choice(FOOTERS))
        out.append(Pair("same_event", fmt, article(a, "seehua"), article(d, "intimes")))
    return out
