"""Interface texts, Chinese first with English available (``?lang=en``, remembered in a cookie).

The texts live in a message catalogue read with Babel, one ``.po`` file per language and domain under
``web/locale/{zh,en}/LC_MESSAGES/`` (read and compiled in memory when first needed; nothing to build):

``labels``    the interface labels by key (``app_name`` → 碳峰 · …); :data:`LABELS` and :func:`translator`
              give them to templates as ``t.<key>``.
``messages``  English msgids → Chinese: the templates' ``_('…')`` and ``pgettext(context, '…')`` (Jinja2's
              ``jinja2.ext.i18n``, installed by :func:`install`), codes shown to people (audit actions and
              entities, meter and product names, rule ids, statuses, sources, export headers, role names in the
              context ``role``: ``{{ user.role.value|role }}``).
``errors``    patterns of server messages with ``{placeholders}`` (validation errors, refusals): a message
              that matches a pattern is written in Chinese, its placeholders translated in turn
              (:func:`translate_message`); the API and the CLI keep the English message.

In English the ``messages`` and ``errors`` catalogues fall back to the msgid itself.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from tanfeng.plan.reasons import Reason
from tanfeng.units import readable_number
from tanfeng.web.i18n_plans import PLAN_LABELS

__all__ = [
    "BEIJING",
    "COMPARATOR_TEXT",
    "DOMAINS",
    "LABELS",
    "LOCALE_DIR",
    "Lang",
    "beijing_time",
    "catalogue",
    "field_markup",
    "field_text",
    "format_target",
    "gettext",
    "install",
    "mark_codes",
    "pgettext",
    "pick_lang",
    "quoted_chinese",
    "reason_text",
    "translate_message",
    "translator",
    "unit_text",
]

Lang = Literal["zh", "en"]

LOCALE_DIR = Path(__file__).parent / "locale"
"""The catalogue: ``<lang>/LC_MESSAGES/<domain>.po``."""

DOMAINS = ("labels", "messages", "errors")


@cache
def catalogue(lang: Lang, domain: str) -> Translations:
    """The compiled catalogue of one language and domain (read once)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as fp:
        catalog = read_po(fp, locale=lang, domain=domain)
    buf = BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf, domain=domain)


def gettext(lang: Lang, msgid: str) -> str:
    """``msgid`` (an English text or a code) in ``lang``; itself when the catalogue has no entry."""
    return str(catalogue(lang, "messages").gettext(msgid))


def pgettext(lang: Lang, context: str, msgid: str) -> str:
    """Like :func:`gettext` for a msgid that reads differently in ``context``."""
    return str(catalogue(lang, "messages").pgettext(context, msgid))


def _labels() -> dict[str, dict[Lang, str]]:
    with (LOCALE_DIR / "zh" / "LC_MESSAGES" / "labels.po").open("rb") as fp:
        keys = [str(m.id) for m in read_po(fp) if m.id]
    return {k: {"zh": str(catalogue("zh", "labels").gettext(k)), "en": str(catalogue("en", "labels").gettext(k))}
            for k in keys}


LABELS: dict[str, dict[Lang, str]] = _labels()
"""Label key → text per language, read from the ``labels`` catalogue (and the plan pages' labels)."""
LABELS.update({k: v for k, v in PLAN_LABELS.items() if k not in LABELS})


def translator(lang: Lang) -> dict[str, str]:
    """All labels in one language, for templates (``t.app_name``)."""
    return {key: texts[lang] for key, texts in LABELS.items()}


_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@cache
def _patterns(lang: Lang) -> list[tuple[re.Pattern[str], str, bool]]:
    """The ``errors`` catalogue as (regex of the pattern, its text in ``lang``, whether the catalogue writes it
    otherwise), longest pattern first."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "errors.po").open("rb") as fp:
        messages = [(str(m.id), str(m.string or m.id), bool(m.string) and m.string != m.id)
                    for m in read_po(fp) if m.id]
    out = []
    for msgid, text, written in sorted(messages, key=lambda m: -len(m[0])):
        pieces = _PLACEHOLDER.split(msgid)
        # a pattern that only joins parts ("{a}; {b}") splits at its first separator; any other pattern's
        # placeholders stay inside one part
        joiner = all(not p.strip(" ;·,—") for p in pieces[::2])
        any_text = ".+?" if joiner else "[^;·]+?"
        regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{any_text})" for i, p in enumerate(pieces))
        out.append((re.compile(f"^{regex}$", re.S), text, written))
    return out


def translate_message(lang: Lang, message: str, *, _depth: int = 0) -> str:
    """A server message (an error, a refusal, a reason, a source) in ``lang``: whole-message entries of
    ``messages`` first, then the first ``errors`` pattern that matches, with each placeholder translated the
    same way. In English, a text with Chinese in it is looked up (the domain writes some texts in Chinese: a
    review's reasons, a finding, a plan stage; the English catalogues hold them as Chinese msgids); an English
    text stays as it is but for the patterns the English catalogue writes otherwise (a rule's Chinese detail,
    a source computed in Chinese)."""
    if not message or _depth > 4:
        return message
    whole = gettext(lang, message)
    if whole != message:
        return whole
    for regex, text, written in _patterns(lang):
        m = regex.match(message)
        if m is not None:
            given = {k: _unquote(v) for k, v in m.groupdict().items()}
            parts = {k: unit_text(lang, v) if k == "unit" else translate_message(lang, v, _depth=_depth + 1)
                     for k, v in given.items()}
            if lang == "en" and not written and parts == given and not _CJK.search(message):
                return message
            return _units_in(lang, text.format(**parts))
    return _units_in(lang, message)


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"" else text


def _units_in(lang: Lang, text: str) -> str:
    if lang == "en":
        return text
    return _UNIT_IN_TEXT.sub(lambda m: pgettext(lang, "unit", m.group(0)), text)


def install(env: Environment) -> None:
    """Add ``jinja2.ext.i18n`` to a template environment with callables that read the page's ``lang``."""
    env.add_extension("jinja2.ext.i18n")

    def _lang(ctx: Context) -> Lang:
        return "en" if ctx.get("lang") == "en" else "zh"

    @pass_context
    def _gettext(ctx: Context, msgid: str, **variables: Any) -> str:
        text = gettext(_lang(ctx), msgid)
        return text % variables if variables else text

    @pass_context
    def _ngettext(ctx: Context, singular: str, plural: str, n: int, **variables: Any) -> str:
        text = str(catalogue(_lang(ctx), "messages").ngettext(singular, plural, n))
        return text % {"num": n, **variables}

    @pass_context
    def _pgettext(ctx: Context, context: str, msgid: str, **variables: Any) -> str:
        text = pgettext(_lang(ctx), context, msgid)
        return text % variables if variables else text

    @pass_context
    def _message(ctx: Context, message: str) -> str:
        return translate_message(_lang(ctx), message)

    @pass_context
    def _unit(ctx: Context, unit: str) -> str:
        return unit_text(_lang(ctx), unit)

    @pass_context
    def _reason(ctx: Context, r: Reason) -> str:
        return reason_text(_lang(ctx), r)

    @pass_context
    def _field(ctx: Context, pointer: str | None) -> Markup:
        return field_markup(_lang(ctx), pointer)

    @pass_context
    def _role(ctx: Context, role: str) -> str:
        return pgettext(_lang(ctx), "role", str(role))

    @pass_context
    def _quoted(ctx: Context, text: str | None) -> Markup:
        return quoted_chinese(_lang(ctx), text)

    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=False, pgettext=_pgettext)
    env.globals["message"] = _message
    env.filters["message"] = _message
    env.filters["quoted"] = _quoted
    env.filters["role"] = _role
    env.filters["unit"] = _unit
    env.filters["reason"] = _reason
    env.filters["field"] = _field
    env.filters["beijing"] = beijing_time
    env.filters["codes"] = mark_codes
    env.filters["number"] = readable_number


_CODE_IN_TEXT = re.compile(
    r"(?<![A-Za-z0-9_./-])(?:"
    r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*/[A-Za-z0-9_./#-]*[A-Za-z0-9_/]"  # a path or an address: a/b.csv, x.cn/a
    r"|[A-Za-z0-9_-]+\.(?:csv|ya?ml|json|xlsx|md|html|py|nc)(?![A-Za-z])"  # a file
    r"|(?:[a-z0-9-]+\.)+(?:com|cn|net|org|gov|int)(?![A-Za-z])"  # a host
    r"|[0-9a-f]{7,40}(?![A-Za-z0-9])"  # a commit
    r")")


_TITLE_IN_TEXT = re.compile(r"《[^》]{1,80}》")


def mark_codes(text: str | None) -> Markup:
    """A note from a data file with its file paths, addresses and commits marked as codes
    (``<code translate="no">``) and the titles of documents it quotes (《…》) marked as Chinese
    (``lang="zh-CN"``): they are names, read as they are in every language."""
    text = text or ""
    spans = sorted([(m.start(), m.end(), "code") for m in _CODE_IN_TEXT.finditer(text)]
                   + [(m.start(), m.end(), "title") for m in _TITLE_IN_TEXT.finditer(text)])
    out, last = [], 0
    for start, end, kind in spans:
        if start < last:
            continue
        tag = Markup('<code translate="no">%s</code>') if kind == "code" else Markup('<span lang="zh-CN">%s</span>')
        out += [escape(text[last:start]), tag % text[start:end]]
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


_CHINESE_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+"
                          r"(?:[0-9.,%]+[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+)*")


def quoted_chinese(lang: Lang, text: str | None) -> Markup:
    """``text`` escaped for a page; on an English page each Chinese run left in it (a document number such as
    发改办环资〔2021〕629号, a region's or an indicator's name quoted in an English sentence) marked
    ``lang="zh-CN"``, as a quotation in another language is."""
    s = str(text or "")
    if lang != "en":
        return escape(s)
    out: list[Markup] = []
    pos = 0
    for m in _CHINESE_RUN.finditer(s):
        out += [escape(s[pos:m.start()]), Markup('<span lang="zh-CN">'), escape(m.group(0)), Markup("</span>")]
        pos = m.end()
    out.append(escape(s[pos:]))
    return Markup("").join(out)


BEIJING = ZoneInfo("Asia/Shanghai")
"""Times are shown in Beijing time (stored in UTC)."""


def beijing_time(ts: datetime | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """A stored time (UTC, or naive meaning UTC) written in Beijing time."""
    if ts is None:
        return "—"
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(BEIJING).strftime(fmt)


_UNIT_IN_TEXT = re.compile(r"(?<![A-Za-z])(?:MtCO2|kgce)(?![A-Za-z])|万?(?:tCO2e?|tCO₂|tce)(?![A-Za-z])|m\*\*3"
                           r"|(?<![A-Za-z])(?:kWh|MWh)(?![A-Za-z])")
_UNIT_TOKEN = re.compile(_UNIT_IN_TEXT.pattern + r"|(?<![A-Za-z])(?:kg|gce|t)(?![A-Za-z])")


@cache
def _written_units(lang: Lang) -> re.Pattern[str]:
    """The unit words the ``unit`` context of ``lang``'s catalogue writes otherwise (longest first)."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fp:
        words = {str(m.id) for m in read_po(fp) if m.context == "unit" and m.id and m.string and m.string != m.id}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) or "(?!)")


@cache
def _chinese_units() -> re.Pattern[str]:
    """The Chinese units the English catalogue names (context ``unit``), longest first, each with an
    optional 万/亿 before it (context ``unit prefix``); a 万/亿 before a Latin unit (万kWh) too."""
    with (LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as fp:
        entries = [(m.context, str(m.id)) for m in read_po(fp) if m.id and m.string and _CJK.search(str(m.id))]
    units = sorted({i for c, i in entries if c == "unit"}, key=len, reverse=True)
    prefixes = sorted({i for c, i in entries if c == "unit prefix"}, key=len, reverse=True)
    p, u = "|".join(map(re.escape, prefixes)) or "(?!)", "|".join(map(re.escape, units)) or "(?!)"
    return re.compile(f"(?P<p>{p})?(?P<u>{u})|(?P<q>{p})(?=[A-Za-z])")


def _english_unit(m: re.Match[str]) -> str:
    prefix = m.group("p") or m.group("q")
    text = pgettext("en", "unit prefix", prefix) if prefix else ""
    return text + (pgettext("en", "unit", m.group("u")) if m.group("u") else "")


def unit_text(lang: Lang, unit: str) -> str:
    """A unit as a reader expects it (the ``unit`` context of the catalogue): in Chinese ``万tce`` → 万吨标准煤,
    ``tce/万元`` → 吨标准煤/万元, ``万tCO2`` → 万吨二氧化碳, ``m**3`` → 立方米, ``MtCO2`` → 百万吨二氧化碳; in English
    the units the catalogue writes otherwise (``m**3`` → m³) and the plan's Chinese units, whole words first
    (``万千瓦`` → ×10⁴ kW, ``克标准煤/千瓦时`` → gce/kWh), then a unit with 万/亿 before it (context ``unit prefix``:
    ``万tce`` → ×10⁴ tce)."""
    if not unit:
        return unit
    if lang == "en":
        text = _written_units(lang).sub(lambda m: pgettext(lang, "unit", m.group(0)), unit)
        return _chinese_units().sub(_english_unit, text) if _CJK.search(text) else text
    return _UNIT_TOKEN.sub(lambda m: pgettext(lang, "unit", m.group(0)), unit)


def reason_text(lang: Lang, r: Reason) -> str:
    """An extractor's reason (:class:`tanfeng.plan.reasons.Reason`) in ``lang``: its code through the catalogue
    (context ``plan reason``) with the values it names; its English text when the catalogue lacks the code."""
    template = pgettext(lang, "plan reason", r.code)
    if template == r.code:
        return r.text or r.code
    try:
        return template.format(**(r.args or {}))
    except (KeyError, IndexError, ValueError):
        return r.text or r.code


def field_text(lang: Lang, pointer: str | None) -> str:
    """A changed field of a record (a JSON pointer such as ``/value`` or ``/source/line``) by its name."""
    parts = [p for p in (pointer or "").split("/") if p]
    if not parts:
        return pgettext(lang, "field", "(whole record)")
    return " · ".join(p if p.isdigit() else pgettext(lang, "field", p) for p in parts)


def field_markup(lang: Lang, pointer: str | None) -> Markup:
    """:func:`field_text` for a page: a field the catalogue does not name (a record's own key) is shown as the
    code it is (``<code translate="no">``), never as if it were a word of the page's language."""
    parts = [p for p in (pointer or "").split("/") if p]
    if not parts:
        return Markup(escape(pgettext(lang, "field", "(whole record)")))
    out: list[Markup] = []
    for p in parts:
        named = p if p.isdigit() else pgettext(lang, "field", p)
        known = p.isdigit() or named != p or gettext(lang, p) != p or not re.fullmatch(r"[a-z0-9_]+", p) or \
            lang == "en"
        out.append(Markup(escape(named)) if known else Markup('<code translate="no">%s</code>') % p)
    return Markup(" · ").join(out)


COMPARATOR_TEXT: dict[str, dict[Lang, str]] = {
    "≥": {"zh": "不低于", "en": "at least"},
    "≤": {"zh": "不高于", "en": "at most"},
    ">": {"zh": "超过", "en": "more than"},
    "<": {"zh": "低于", "en": "less than"},
    "=": {"zh": "达到", "en": "reach"},
    "≈": {"zh": "左右", "en": "about"},
    "between": {"zh": "区间", "en": "between"},
    "decrease_by": {"zh": "下降", "en": "decrease by"},
    "increase_by": {"zh": "提高", "en": "increase by"},
}


def pick_lang(query: str | None, cookie: str | None) -> Lang:
    """The language asked for by ``?lang=``, else the cookie, else Chinese."""
    for candidate in (query, cookie):
        if candidate in ("zh", "en"):
            return candidate  # type: ignore[return-value]
    return "zh"


def format_target(comparator: str, value: float, unit: str, *, value_high: float | None = None,
                  baseline_year: int | None = None, qualifier: str | None = None, lang: Lang = "zh") -> str:
    """A target as a person reads it: ``≥ 500 万千瓦``, ``比2020年下降 5%``, ``30%左右``."""
    v = readable_number(value, grouping=False)  # as the plan writes it: 1000万平方米
    unit = unit_text(lang, unit)
    if comparator == "between" and value_high is not None:
        return f"{v}–{readable_number(value_high, grouping=False)} {unit}".strip()
    if comparator in ("decrease_by", "increase_by"):
        verb = COMPARATOR_TEXT[comparator][lang]
        q = {"≥": "以上", "≈": "左右", "≤": "以内"}.get(qualifier or "", "") if lang == "zh" else (
            {"≥": " or more", "≈": " approx.", "≤": " at most"}.get(qualifier or "", ""))
        if lang == "zh":
            return f"比{baseline_year}年{verb}{v}{unit}{q}"
        return f"{verb} {v}{unit}{q} vs {baseline_year}"
    if lang == "zh":
        zh = {"≥": f"{v}{unit}以上", "≤": f"{v}{unit}以下", ">": f"超过{v}{unit}", "<": f"低于{v}{unit}",
              "=": f"{v}{unit}", "≈": f"{v}{unit}左右"}
        return zh.get(comparator, f"{comparator} {v}{unit}")
    return f"{comparator} {v} {unit}".strip()
