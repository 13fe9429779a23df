"""A bounded same-origin crawler over the in-process TestClient, for tests/web/test_crawl.py."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from fastapi.testclient import TestClient

__all__ = ["Finding", "Page", "VisibleText", "crawl", "load_allow_list", "words_out_of_language"]

DATA = Path(__file__).parent / "data"

_SKIP_TEXT = {"script", "style", "template", "noscript", "title"}  # <title> repeats the page's checked heading
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
         "wbr"}


class VisibleText(HTMLParser):
    """The text a reader sees (text nodes outside script/style, plus ``title``/``placeholder``/``alt`` and
    button values), each with whether it sits inside an element marked with another language than the page's
    (``lang="zh-CN"`` on an English page: a name or a source quoted in Chinese) or ``translate="no"`` (a code,
    an id), and the page's ``<a href>`` links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # tag, hidden, marked (lang or translate=no)
        self.chunks: list[tuple[str, bool]] = []
        self.links: list[str] = []
        self.page_lang = ""

    def _state(self) -> tuple[bool, bool]:
        return (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, False)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        hidden, zh = self._state()
        hidden = hidden or tag in _SKIP_TEXT
        lang = (a.get("lang") or "")[:2]
        if tag == "html":
            self.page_lang = lang
        elif lang and lang != self.page_lang:
            zh = True  # marked with its own language: a quoted text, a name, the language switch
        if a.get("translate") == "no":
            zh = True  # a name, code or id shown as it is (not a text of the interface)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if not hidden:
            for key in ("title", "placeholder", "alt", "aria-label"):
                if a.get(key):
                    self.chunks.append((a[key] or "", zh))
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.chunks.append((a["value"] or "", zh))
        if tag not in _VOID:
            self.stack.append((tag, hidden, zh))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        hidden, zh = self._state()
        if not hidden and data.strip():
            self.chunks.append((data, zh))


@dataclass(frozen=True)
class Page:
    url: str
    status: int
    referer: str
    location: str = ""
    body: str = ""


@dataclass
class Finding:
    pages: list[Page] = field(default_factory=list)
    language: dict[str, set[str]] = field(default_factory=dict)  # url → words out of language
    context: dict[str, str] = field(default_factory=dict)  # url → the first text with such a word


def load_allow_list(name: str) -> set[str]:
    """Words allowed out of language: one a line, ``#`` comments."""
    out: set[str] = set()
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.add(line)
    return out


_LATIN = re.compile(r"[A-Za-z][A-Za-z_*]*[A-Za-z]|[A-Za-z]")
_URL = re.compile(r"https?://\S+|www\.\S+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_CREDIT_CODE = re.compile(r"\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b")
"""A 统一社会信用代码 (GB 32100): an identifier, not English."""


def words_out_of_language(chunks: list[tuple[str, bool]], lang: str, allow: set[str]) -> set[str]:
    """In Chinese mode the Latin words (two letters or more) not allowed and not inside an element marked
    ``translate="no"`` or ``lang="en"``; in English mode the CJK runs not allowed and not inside an element marked
    ``lang="zh…"`` or ``translate="no"``. Web addresses and credit codes are left out."""
    bad: set[str] = set()
    for text, marked in chunks:
        text = _CREDIT_CODE.sub(" ", _URL.sub(" ", text))
        if lang == "zh" and not marked:
            for w in _LATIN.findall(text):
                if len(w) > 1 and w not in allow and w.lower() not in allow:
                    bad.add(w)
        elif lang == "en" and not marked:
            for w in _CJK.findall(text):
                if w not in allow:
                    bad.add(w)
    return bad


def _shape(path: str) -> str:
    """A page's shape: digits and ids folded, so a crawl visits a few of each kind (every target, county…)."""
    parts = [re.sub(r"\d", "9", p) if any(c.isdigit() for c in p) else p for p in path.split("/")]
    return "/".join(parts)


def crawl(client: TestClient, starts: list[str], lang: str, *, allow: set[str], per_shape: int = 2,
          limit: int = 400, check_language: bool = True, downloads: set[tuple[str, str]] | None = None) -> Finding:
    """Breadth-first over same-origin GET links from ``starts`` in ``lang``; dedupe by path and query
    (the ``lang`` parameter set to the crawl's language), at most ``per_shape`` pages of one shape; a
    download (under ``/api/``) once per path and language across the crawls sharing ``downloads``."""
    downloads = set() if downloads is None else downloads
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    queue: deque[tuple[str, str]] = deque((s, "") for s in starts)
    out = Finding()
    while queue and len(out.pages) < limit:
        raw, referer = queue.popleft()
        parts = urlsplit(urljoin("http://testserver" + (referer or "/"), raw))
        if parts.netloc != "testserver" or parts.scheme not in ("http", "https"):
            continue
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        if any(k == "lang" and v != lang for k, v in query):
            continue  # the language switch: the other crawl covers that language
        query = sorted([(k, v) for k, v in query if k != "lang"] + [("lang", lang)])
        url = parts.path + "?" + urlencode(query)
        if url in seen:
            continue
        seen.add(url)
        shape = _shape(parts.path) + "?" + "&".join(sorted({k for k, _ in query}))
        if shapes.get(shape, 0) >= per_shape:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        if parts.path.startswith("/api/") and parts.path != "/api/docs":
            if (parts.path, lang) in downloads:
                continue
            downloads.add((parts.path, lang))
        r = client.get(url, headers={"referer": "http://testserver" + referer} if referer else {},
                       follow_redirects=False)
        out.pages.append(Page(url, r.status_code, referer, r.headers.get("location", ""),
                              r.text[:2000] if r.status_code >= 400 else ""))
        if r.status_code in (301, 302, 303, 307, 308):
            continue
        if "text/html" not in r.headers.get("content-type", ""):
            continue
        parser = VisibleText()
        parser.feed(r.text)
        if check_language and not parts.path.startswith(("/docs", "/api/docs")):
            bad = words_out_of_language(parser.chunks, lang, allow)
            if bad:
                out.language[url] = bad
                out.context[url] = next((t.strip()[:160] for t, m in parser.chunks
                                         if not m and words_out_of_language([(t, m)], lang, allow)), "")
        for href in parser.links:
            if href.startswith(("#", "mailto:", "javascript:")):
                continue
            queue.append((href, url))
    return out
