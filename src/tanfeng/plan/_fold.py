"""Folds of a pasted text that keep its length, so that an offset into the folded copy is one into the original.

Text copied from web pages and PDFs comes with traditional characters, thousands separators (1,200万千瓦), spaces
inside numbers (1 200, 12. 5%) and lines broken inside a sentence. :func:`fold_text` undoes each of them one
character for one (a separator removed inside a number is moved, as a space, to the number's end; a joined line
break, to the end of the word it cut), for matching only: what the extractor quotes is always taken from the
original text, through the offsets :func:`fold_text` returns.
"""

from __future__ import annotations

import re

__all__ = ["fold_text"]

# Traditional → simplified, one character for one: the characters of numbers, units, comparators and of the words
# plans are written in (a small table, not a converter: a character is mapped only when it has one simplified form
# in plan texts).
_TRADITIONAL = (
    "萬億噸標準時電達於過為單區產總費較內積計劃縣鎮業發廠機車輛風陽裝規環綠節約減實現開設務項與長進個點強"
    "濟經體態氣溫應對變術網熱處確爭預門結構資關從將後僅優質創線級壓專蓋嚴護淨築鋼鐵煉鋁廢種華東廣蘇雲貴遼"
    "寧陝兩雙並統籌協調動畝臺氫頭書廳類聯續礎擴檢驗測報導範團隊連運輸碼貨軌輪黨員會議紀職責負復舊盤鹽養績"
    "評視們這來當還樣讓說製裡裏歲勵漸穩儲匯儀據採礦銷燈閥錶鍋爐絡換礙擬啟圓營戶遷險歸衛災極農糧韌價額圍圖"
    "場園際醫學邊無買賣別間領潔濕煙塵層況權稅備輕藝庫舉戰騰響壩餘歷階鏈證試織條擔屬雜殘數觀覽親認論語讀課"
    "談請興豐寶審寫尋崗嶺閉陣陰隨隱難靈順須頻顯飛館馬驅魚鳥鹼麗齊龍兒冊凈劑勞勢參號國塊壞複夥憂懷撥擁損攜"
    "斷樓橋歡漢牆獎獨畫療盡監眾窮簡紅細組絲維綜綫緊緩編繼罰聲腦藥補見覺訂記許識詞話該諮講謀貝財貢購賽趨跡"
    "踐軍軟載輔轄轉遠適選遺郵鄉鄰釋鋪錄錢鍵陸陳題週頓義給亞麼銅鋅鎳"
)
_SIMPLIFIED = (
    "万亿吨标准时电达于过为单区产总费较内积计划县镇业发厂机车辆风阳装规环绿节约减实现开设务项与长进个点强"
    "济经体态气温应对变术网热处确争预门结构资关从将后仅优质创线级压专盖严护净筑钢铁炼铝废种华东广苏云贵辽"
    "宁陕两双并统筹协调动亩台氢头书厅类联续础扩检验测报导范团队连运输码货轨轮党员会议纪职责负复旧盘盐养绩"
    "评视们这来当还样让说制里里岁励渐稳储汇仪据采矿销灯阀表锅炉络换碍拟启圆营户迁险归卫灾极农粮韧价额围图"
    "场园际医学边无买卖别间领洁湿烟尘层况权税备轻艺库举战腾响坝余历阶链证试织条担属杂残数观览亲认论语读课"
    "谈请兴丰宝审写寻岗岭闭阵阴随隐难灵顺须频显飞馆马驱鱼鸟碱丽齐龙儿册净剂劳势参号国块坏复伙忧怀拨拥损携"
    "断楼桥欢汉墙奖独画疗尽监众穷简红细组丝维综线紧缓编继罚声脑药补见觉订记许识词话该咨讲谋贝财贡购赛趋迹"
    "践军软载辅辖转远适选遗邮乡邻释铺录钱键陆陈题周顿义给亚么铜锌镍"
)
_TO_SIMPLIFIED = str.maketrans(_TRADITIONAL, _SIMPLIFIED)

_NUMBER_GAP = re.compile(
    r"(?<![\d.])(?P<head>\d{1,3})(?P<rest>(?:(?:,|[\u00a0\u2009\u202f])\d{3})+)(?![\d])(?P<dec>\.\d+)?"
    r"|(?<![\d.])(?P<h2>\d{1,3})(?P<r2>(?: \d{3})+)(?P<d2>\.\d+)?(?= ?[万亿千吨元])"
    r"|(?P<int>\d)(?P<gap>\. |[ \u00a0\u2009\u202f]\.[ ]?)(?P<frac>\d)"
)
"""A number cut by thousands separators (1,200 · 1 200万 with a narrow space) or by a space around its decimal
point (12. 5 · 12 .5)."""

_HEAD_MARK = re.compile(r"^[ \t\u3000]*(?:#|来源|出处|说明|注[:\d]|[一二三四五六七八九十]{1,3}、|[((][一二三四五六七八九十\d]{1,3}[))]|\d{1,2}[.、](?!\d)|第"
                        r"[一二三四五六七八九十\d]{1,3}[章节条部分]|[■►▶●◆·•]|$)")
_FIELD = re.compile(r"^[ \t\u3000]*[\u4e00-\u9fff]{2,6}[:：]")
"""A page's field (日期:, 来源:, 发布时间:) starts a line of its own."""
_CELLS = re.compile(r"[\u4e00-\u9fff%)] +[\u4e00-\u9fff\d(]|\t|\|")
_WRAP_MIN, _WRAP_MAX = 16, 80
"""A line cut inside a sentence (a PDF's or a narrow page's line) is at least 16 characters long and at most 80 (a
longer line is a paragraph of a page, whatever it ends with)."""


def _join_numbers(text: str, original: str) -> str:
    def close(m: re.Match[str]) -> str:
        if "，" in original[m.start():m.end()]:
            return m.group(0)  # a full-width comma lists numbers (分别为426，191万千瓦); it never groups digits
        if m.group("int") is not None:
            gap = m.group("gap")
            return m.group("int") + "." + m.group("frac") + " " * (len(gap) - 1)
        head, rest, dec = (m.group("head"), m.group("rest"), m.group("dec")) if m.group("head") else (
            m.group("h2"), m.group("r2"), m.group("d2"))
        digits = head + re.sub(r"\D", "", rest) + (dec or "")
        return digits + " " * (len(m.group(0)) - len(digits))

    return _NUMBER_GAP.sub(close, text)


def _wrapped(line: str, nxt: str) -> bool:
    """Whether the break after ``line`` is inside a sentence: the line is of a page's or PDF's width, ends with no
    mark that closes a sentence or a heading, is no row of a table, note or link, and the next line starts no
    heading, list item or page field."""
    body = line.rstrip(" \t\r\u3000")
    size = len(body.strip())
    return (_WRAP_MIN <= size <= _WRAP_MAX and size >= 0.8 * len(nxt.strip()) and body[-1:] not in "。!?;:》”\")…"
            and not _CELLS.search(line) and "http" not in line
            and not (_HEAD_MARK.match(line) and not re.search("[,;]", line))
            and not _HEAD_MARK.match(nxt) and not _FIELD.match(nxt) and not _CELLS.search(nxt)
            and re.match(r"[ \t\u3000]*[\u4e00-\u9fff\d%]", nxt) is not None)


_WORD_END = set(",;:。!?、()“”《》\"' \t\r\n")


def _join_lines(text: str) -> tuple[str, list[int]]:
    """Join the lines broken inside a sentence: the text after the break, up to the end of its word (the next mark
    or space), moves back over the break, which goes, as a space, after it (万千\\n瓦, → 万千瓦 ,). Returns the text
    and, for each of its characters, its offset in ``text``."""
    chars, where = list(text), list(range(len(text)))
    lines = text.split("\n")
    pos = 0
    for k, line in enumerate(lines[:-1]):
        br = pos + len(line)
        pos = br + 1
        if not _wrapped(line, lines[k + 1]):
            continue
        if line.endswith("\r"):
            chars[br - 1] = " "
        j = br + 1
        while j < len(text) and text[j] not in _WORD_END:
            j += 1
        chars[br: j - 1], where[br: j - 1] = chars[br + 1: j], where[br + 1: j]
        chars[j - 1], where[j - 1] = " ", br
    return "".join(chars), where


def fold_text(text: str, original: str) -> tuple[str, list[int]]:
    """``text`` (``original`` folded from full width) with traditional characters simplified, numbers cut by
    separators or spaces joined and lines broken inside a sentence joined, one character for one; and for each
    character of the result, the offset in ``original`` of the character it shows (a joined break's word moves back
    over the break by one)."""
    return _join_lines(_join_numbers(text.translate(_TO_SIMPLIFIED), original))
