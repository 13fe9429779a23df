"""Read a plan or policy text (UTF-8, GB18030/GBK, .docx, PDF) and normalise it for matching.

Reading gives the text exactly as decoded (:class:`SourceText`); every position the extractor reports
is an offset into that text. Matching works on a normalised copy (:func:`normalize_for_matching`)
in which full-width digits, letters and punctuation are folded to their ASCII forms, traditional characters to
simplified ones, numbers cut by thousands separators or spaces joined and lines broken inside a sentence joined,
always one character for one, so offsets into the normalised copy are offsets into the original.
"""

from __future__ import annotations

import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tanfeng.errors import TextReadError, at
from tanfeng.intake import limits
from tanfeng.plan._fold import fold_text

__all__ = ["SourceText", "check_text_size", "line_of", "normalize_for_matching", "normalize_with_offsets",
           "read_text_file"]

_HINT_FORMATS = "give a UTF-8 or GB18030/GBK text file, a .docx document or a PDF with a text layer"


@dataclass(frozen=True)
class SourceText:
    """A text as read from a file.

    Attributes
    ----------
    text
        The decoded text; offsets reported by the extractor point into it.
    source
        The file's name as given (or a caller-chosen label).
    encoding
        ``utf-8``, ``utf-8-sig``, ``gbk``, ``gb18030``, ``docx`` or ``pdf``.
    """

    text: str
    source: str
    encoding: str


def _fold_char(ch: str) -> str:
    """Fold one full-width character to its ASCII form; every other character is kept."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if ch == "\u3000":
        return " "
    return ch


_EXTRA_FOLD = {
    "－": "-",
    "～": "~",
    "〜": "~",
    "﹪": "%",
}


def normalize_for_matching(text: str) -> str:
    """Fold full-width digits, letters and punctuation to ASCII, then traditional characters, separated numbers
    and broken lines (:func:`tanfeng.plan._fold.fold_text`), one character for one.

    The result has the same length as ``text``; an offset into it is an offset into ``text`` except inside the
    word after a joined line break, which moves back by one (:func:`normalize_with_offsets` tells where each
    character comes from).

    Parameters
    ----------
    text
        The text as read.

    Returns
    -------
    str
        ``１２．５％`` becomes ``12.5%``, ``（一）`` becomes ``(一)``, ``，；：`` become ``,;:``;
        ``。、`` are kept; ``達到1,200萬千瓦`` becomes ``达到1200 万千瓦``.
    """
    return normalize_with_offsets(text)[0]


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`normalize_for_matching`, with the offset in ``text`` of each character of the result."""
    out = []
    for ch in text:
        folded = _EXTRA_FOLD.get(ch)
        if folded is None:
            folded = _fold_char(ch)
        out.append(folded)
    result, offsets = fold_text("".join(out), text)
    if len(result) != len(text):  # pragma: no cover - guarded by construction
        msg = "normalisation must keep the text's length"
        raise AssertionError(msg)
    return result, offsets


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1


def _decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    if b"\x00" in data[:4096]:
        msg = "the file looks binary (it contains NUL bytes), not a text"
        raise TextReadError(msg, location=at(name), hint=_HINT_FORMATS)
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            msg = f"the file starts with a UTF-8 byte-order mark but is not valid UTF-8 (byte {exc.start})"
            raise TextReadError(msg, location=at(name), hint="save the file again as UTF-8") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for enc in ("gbk", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    msg = "the file is neither UTF-8 nor GB18030/GBK text"
    raise TextReadError(msg, location=at(name), hint="save it as UTF-8 (or give the .docx/PDF original)")


def _read_docx(path: Path, name: str) -> str:
    try:
        import docx  # python-docx

        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for a bad package
        msg = f"cannot open the Word document: {exc}"
        raise TextReadError(msg, location=at(name), hint="check that it is a .docx (not .doc) and not damaged") from exc
    paragraphs = [p.text for p in document.paragraphs]
    return "\n".join(paragraphs)


def _read_pdf(path: Path, name: str) -> str:
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises its own errors and also ValueError/KeyError on broken files
        msg = f"cannot read the PDF: {exc}"
        raise TextReadError(msg, location=at(name), hint="check that the PDF is not damaged or encrypted") from exc
    return "\n".join(pages)


def check_text_size(text: str, name: str) -> None:
    """Refuse a text of more than ``TANFENG_MAX_TEXT_BYTES`` (counted in UTF-8).

    Raises
    ------
    TextReadError
        Naming the source, the size and the limit.
    """
    cap = limits().text_bytes
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > cap:
        msg = f"the text is {size:,} bytes, over the limit of {cap:,} bytes (TANFENG_MAX_TEXT_BYTES)"
        raise TextReadError(msg, location=at(name), hint="give the plan's own text, split into parts if needed")


def _check_size(p: Path, name: str, *, document: bool) -> None:
    """Refuse a text over ``TANFENG_MAX_TEXT_BYTES`` (a .docx or PDF over ``TANFENG_MAX_UPLOAD_BYTES``) unread."""
    lim = limits()
    cap, setting = (lim.upload_bytes, "TANFENG_MAX_UPLOAD_BYTES") if document else (lim.text_bytes, "TANFENG_MAX_TEXT_BYTES")
    size = p.stat().st_size
    if size > cap:
        msg = f"the file is {size:,} bytes, over the limit of {cap:,} bytes ({setting})"
        raise TextReadError(msg, location=at(name), hint="give the plan's own text, split into parts if needed")


def read_text_file(path: str | Path) -> SourceText:
    """Read a plan text from a file, whatever its format.

    Parameters
    ----------
    path
        A ``.txt`` (UTF-8 with or without BOM, or GB18030/GBK), ``.docx`` or ``.pdf`` file.

    Returns
    -------
    SourceText
        The text and the encoding (or format) it was read with.

    Raises
    ------
    TextReadError
        The file is missing, unreadable, binary, empty, in an unknown encoding or format, or over the size
        limit (checked before it is read).
    """
    p = Path(path)
    name = str(path)
    if not p.exists():
        msg = "the file does not exist"
        raise TextReadError(msg, location=at(name), hint="check the path")
    if p.is_dir():
        msg = "this is a directory, not a file"
        raise TextReadError(msg, location=at(name), hint="give the path of one text file")
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        msg = f"cannot read the file: {exc.strerror or exc}"
        raise TextReadError(msg, location=at(name), hint="check its permissions") from exc
    suffix = p.suffix.lower()
    _check_size(p, name, document=suffix in (".docx", ".pdf") or head.startswith((b"PK", b"%PDF")))
    if suffix == ".doc":
        msg = "old Word .doc files are not supported"
        raise TextReadError(msg, location=at(name), hint="save it as .docx or as UTF-8 text")
    if suffix == ".docx" or (head.startswith(b"PK") and zipfile.is_zipfile(p) and _is_docx(p)):
        text, encoding = _read_docx(p, name), "docx"
    elif suffix == ".pdf" or head.startswith(b"%PDF"):
        text, encoding = _read_pdf(p, name), "pdf"
    else:
        if head.startswith(b"PK"):
            msg = "the file is a ZIP archive, not a text or a .docx document"
            raise TextReadError(msg, location=at(name), hint=_HINT_FORMATS)
        data = p.read_bytes()
        text, encoding = _decode_bytes(data, name)
    check_text_size(text, name)
    if not text.strip():
        what = "PDF has no text layer (a scan?)" if encoding == "pdf" else "file has no text"
        msg = f"the {what}"
        hint = "run OCR first or give the text" if encoding == "pdf" else "give a file with the plan's text"
        raise TextReadError(msg, location=at(name), hint=hint)
    if encoding not in ("docx", "pdf") and _looks_binary(text):
        msg = "the file does not look like text (too many control characters)"
        raise TextReadError(msg, location=at(name), hint=_HINT_FORMATS)
    return SourceText(text=text, source=name, encoding=encoding)


def _is_docx(p: Path) -> bool:
    try:
        with zipfile.ZipFile(p) as z:
            return "word/document.xml" in z.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    bad = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return bad > max(8, len(sample) // 50)
