"""Move the templates' inline ``'中文' if lang == 'zh' else 'English'`` texts into the message catalogue.

Each such expression becomes ``_('English')`` (or ``pgettext('<template>', 'English')`` where the same
English reads differently in Chinese elsewhere), and the pair is added to ``messages.po`` of both languages
(Chinese msgstr; English msgstr empty, so the msgid is shown). Running it again converts what is new and
keeps what is there. Usage: ``python scripts/i18n_templates.py``.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1] / "src" / "tanfeng" / "web"
TEMPLATES = ROOT / "templates"
LOCALE = ROOT / "locale"
_TERNARY = re.compile(r"""(['"])((?:\\.|(?!\1)[^\\])*)\1 if (?:lang == (['"])zh\3|zh) else (['"])((?:\\.|(?!\4)[^\\])*)\4""")
_CJK = re.compile(r"[\u3400-\u9fff]")
HEADER = "Interface texts of tanfeng: English msgid, Chinese first.\nscripts/i18n_templates.py adds the templates' texts."


def _plain(text: str) -> str:
    """A Jinja string literal's text (``\\'`` → ``'``)."""
    return re.sub(r"\\(.)", r"\1", text)


def load(lang: str, domain: str) -> Catalog:
    path = LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"
    if path.exists():
        with path.open("rb") as fp:
            return read_po(fp, locale=lang, domain=domain)
    return Catalog(locale=lang, domain=domain, project="tanfeng", fuzzy=False)


def save(catalog: Catalog, lang: str, domain: str) -> None:
    catalog.header_comment = "\n".join(f"# {line}" for line in HEADER.splitlines())
    catalog.fuzzy = False
    path = LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fp:
        write_po(fp, catalog, width=0, no_location=True, sort_output=True)


def main() -> int:
    zh, en = load("zh", "messages"), load("en", "messages")
    files = sorted(TEMPLATES.rglob("*.html"))
    found: dict[str, set[str]] = defaultdict(set)
    for f in files:
        for m in _TERNARY.finditer(f.read_text(encoding="utf-8")):
            if not _CJK.search(m.group(2)):
                continue
            found[_plain(m.group(5))].add(_plain(m.group(2)))
    for msgid, _ in list(found.items()):
        known = zh.get(msgid)
        if known is not None and known.string:
            found[msgid].add(str(known.string))
    changed = 0
    for f in files:
        text = f.read_text(encoding="utf-8")
        context = str(f.relative_to(TEMPLATES).with_suffix(""))

        def convert(m: re.Match[str], context: str = context) -> str:
            chinese, english = _plain(m.group(2)), _plain(m.group(5))
            if not _CJK.search(chinese):
                return m.group(0)  # not a text: a code chosen by language ('zh-CN' / 'en')
            q = "'" if "'" not in english else '"'
            if len(found[english]) > 1 and (zh.get(english) is None or zh.get(english).string != chinese):
                zh.add(english, chinese, context=context)
                en.add(english, "", context=context)
                return f"pgettext('{context}', {q}{english}{q})"
            if zh.get(english) is None:
                zh.add(english, chinese)
                en.add(english, "")
            return f"_({q}{english}{q})"

        new = _TERNARY.sub(convert, text)
        if new != text:
            f.write_text(new, encoding="utf-8")
            changed += 1
    save(zh, "zh", "messages")
    save(en, "en", "messages")
    print(f"{changed} templates converted; {len(zh)} messages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
