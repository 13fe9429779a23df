"""Reading plan texts: encodings, .docx, PDF, bad files; full-width text; the CLI command."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
import typer
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from typer.testing import CliRunner

from tanfeng.cli.plan_extract import extract as extract_command
from tanfeng.errors import TextReadError
from tanfeng.plan.extract import extract_file, extract_text
from tanfeng.plan.textio import normalize_for_matching, read_text_file

TEXTS = Path(__file__).parent / "texts"
SHANDONG = TEXTS / "shandong_2022_main_targets.txt"
SEED = Path(__file__).parents[2] / "src" / "tanfeng" / "plan" / "plans" / "inner_mongolia_2022.source.txt"


def _summary(path: Path) -> list[tuple[int | None, str, float, str, int | None]]:
    d = extract_file(path)
    return [(t.year, t.comparator.value, t.value, t.unit, t.baseline_year) for t in d.targets]


# --- encodings --------------------------------------------------------------------------------

def test_gbk_file_is_detected_and_read(tmp_path: Path) -> None:
    text = SHANDONG.read_text(encoding="utf-8")
    gbk = tmp_path / "shandong_gbk.txt"
    gbk.write_bytes(text.encode("gbk"))
    d = extract_file(gbk)
    assert d.encoding == "gbk"
    assert _summary(gbk) == _summary(SHANDONG)
    assert len(d.targets) == 5
    decoded = gbk.read_bytes().decode("gbk")
    for t in d.targets:  # offsets point into the decoded text
        assert t.match_text in decoded[t.start:t.end]


def test_gb18030_only_characters(tmp_path: Path) -> None:
    text = SHANDONG.read_text(encoding="utf-8") + "\n𠀀\n"  # outside GBK, inside GB18030
    f = tmp_path / "gb18030.txt"
    f.write_bytes(text.encode("gb18030"))
    assert read_text_file(f).encoding == "gb18030"
    assert len(extract_file(f).targets) == 5


def test_utf8_with_bom(tmp_path: Path) -> None:
    f = tmp_path / "bom.txt"
    f.write_bytes(SHANDONG.read_text(encoding="utf-8").encode("utf-8-sig"))
    d = extract_file(f)
    assert d.encoding == "utf-8-sig"
    st = read_text_file(f)
    assert not st.text.startswith("\ufeff")
    for t in d.targets:
        assert t.match_text in st.text[t.start:t.end]


def test_full_width_digits_and_punctuation_keep_offsets() -> None:
    # (四)1 of the seed (line 45), as it would be printed with full-width digits and punctuation
    line = SEED.read_text(encoding="utf-8").splitlines()[44]
    fw = line.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789,%"})
    assert "２０２５" in fw
    assert len(normalize_for_matching(fw)) == len(fw)
    d = extract_text(fw, source_name="fw.txt")
    got = [(t.year, t.value, t.unit, t.match_text) for t in d.targets]
    assert got == [(2025, 5470.0, "万亩", "５４７０万亩"), (2025, 1500.0, "万亩", "１５００万亩")]
    for t in d.targets:
        assert t.match_text in fw[t.start:t.end]


# --- docx and PDF -------------------------------------------------------------------------------

def test_docx_paragraphs_in_order(tmp_path: Path) -> None:
    document = docx.Document()
    for para in SHANDONG.read_text(encoding="utf-8").splitlines()[1:]:
        document.add_paragraph(para)
    f = tmp_path / "shandong.docx"
    document.save(str(f))
    d = extract_file(f, region_code="370000")
    assert d.encoding == "docx"
    assert _summary(f) == _summary(SHANDONG)


def _pdf_with_text(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer is ``lines`` (Type0 font, Identity-H, ToUnicode = code point)."""
    w = PdfWriter()
    page = w.add_blank_page(width=595, height=842)
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapType 2 def "
            "1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <FFFF> <0000> "
            "endbfrange endcmap CMapName currentdict /CMap defineresource pop end end")
    to_unicode = DecodedStreamObject()
    to_unicode.set_data(cmap.encode())
    cid_font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/CIDFontType2"),
        NameObject("/BaseFont"): NameObject("/SimSun"), NameObject("/DW"): NumberObject(1000),
        NameObject("/CIDSystemInfo"): DictionaryObject({
            NameObject("/Registry"): TextStringObject("Adobe"), NameObject("/Ordering"): TextStringObject("Identity"),
            NameObject("/Supplement"): NumberObject(0)}),
    })
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): NameObject("/SimSun"), NameObject("/Encoding"): NameObject("/Identity-H"),
        NameObject("/DescendantFonts"): ArrayObject([w._add_object(cid_font)]),
        NameObject("/ToUnicode"): w._add_object(to_unicode),
    })
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})})
    ops = ["BT", "/F1 10 Tf", "12 TL", "20 800 Td"]
    ops += ["<" + "".join(f"{ord(c):04X}" for c in ln) + "> Tj T*" for ln in lines]
    ops.append("ET")
    content = DecodedStreamObject()
    content.set_data("\n".join(ops).encode())
    page[NameObject("/Contents")] = w._add_object(content)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def test_pdf_text_layer(tmp_path: Path) -> None:
    lines = SHANDONG.read_text(encoding="utf-8").splitlines()[1:]
    f = tmp_path / "shandong.pdf"
    f.write_bytes(_pdf_with_text(lines))
    d = extract_file(f)
    assert d.encoding == "pdf"
    assert _summary(f) == _summary(SHANDONG)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    f = tmp_path / "scan.pdf"
    with f.open("wb") as fh:
        w.write(fh)
    with pytest.raises(TextReadError, match=r"scan\.pdf: the PDF has no text layer"):
        extract_file(f)


# --- bad files -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.txt", b"", "the file has no text"),
    ("blank.txt", "  \n\u3000\n".encode(), "the file has no text"),
    ("binary.txt", b"\x00\x01\x02\x03" * 10, "looks binary"),
    ("latin.txt", b"\xff\xfe\xfd\xff\xff plan", "neither UTF-8 nor GB18030/GBK"),
    ("old.doc", b"\xd0\xcf\x11\xe0 old word", "old Word .doc files are not supported"),
    ("broken.docx", b"not a zip at all", "cannot open the Word document"),
    ("broken.pdf", b"%PDF-1.4 garbage", "cannot read the PDF"),
    ("archive.txt", b"PK\x03\x04" + b"\x00" * 30, "ZIP archive"),
])
def test_unreadable_files_name_the_file(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(TextReadError) as info:
        extract_file(f)
    assert str(f) in str(info.value)
    assert message in str(info.value)
    assert info.value.hint


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(TextReadError, match="does not exist"):
        extract_file(tmp_path / "nope.txt")
    with pytest.raises(TextReadError, match="directory"):
        extract_file(tmp_path)


# --- CLI -------------------------------------------------------------------------------------------

def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(extract_command)
    return app


def test_cli_json_is_an_object_with_targets() -> None:
    result = CliRunner().invoke(_app(), [str(SEED), "--region", "150000", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert isinstance(data, dict)
    assert len(data["targets"]) == 29
    assert len(data["actions"]) == 12
    assert data["warnings"]
    first = data["targets"][0]
    for key in ("id", "action", "indicator", "scope", "year", "comparator", "value", "unit", "baseline_year",
                "source_text", "value_high", "qualifier", "indicator_id", "measure", "aspirational", "confidence",
                "reasons", "start", "end", "line"):
        assert key in first
    assert first["value"] == 500
    assert first["comparator"] == "≥"
    assert first["unit"] == "万千瓦"


def test_cli_csv_and_table() -> None:
    runner = CliRunner()
    csv_out = runner.invoke(_app(), [str(SHANDONG), "--format", "csv"])
    assert csv_out.exit_code == 0, csv_out.output
    rows = csv_out.output.lstrip("\ufeff").splitlines()
    assert rows[0].startswith("id,line,indicator,scope,year,comparator,value")
    assert len(rows) == 1 + 5
    assert "decrease_by" in rows[2]
    table = runner.invoke(_app(), [str(SHANDONG)])
    assert table.exit_code == 0, table.output
    assert "5 targets" in table.output
    assert "2030" in table.output


def test_cli_missing_file_raises_text_read_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), [str(tmp_path / "missing.txt")])
    assert result.exit_code != 0
    assert isinstance(result.exception, TextReadError)
