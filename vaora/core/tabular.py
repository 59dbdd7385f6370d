"""Reading the spreadsheets offices actually send: CSV in UTF-8 (with or without BOM), UTF-16
(what Excel's "Unicode text" writes) or Windows-1258, separated by commas, semicolons or tabs;
and XLSX. Rows come out one at a time with their line numbers, so memory stays bounded and every
problem can be reported against the line a person sees in their spreadsheet."""

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from vaora.core.errors import VaoraError


@dataclass
class Row:
    line: int  # 1-based, as the spreadsheet shows it
    values: dict[str, str]


class UnreadableFile(VaoraError):
    def __init__(self, detail_vi: str, detail_en: str):
        super().__init__(
            "unreadable_file",
            f"Không đọc được tệp: {detail_vi}",
            f"The file cannot be read: {detail_en}",
            400,
        )


def header_key(text: str) -> str:
    """'Tên địa điểm ' → 'ten_dia_diem': lower case, no diacritics, underscores."""
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "d")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().strip()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _decode_stream(raw: io.BufferedIOBase) -> io.TextIOBase:
    head = raw.read(4)
    raw.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        sample = raw.read(64 * 1024)
        raw.seek(0)
        try:
            sample.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as error:
            # A cut in the middle of a character at the sample's end is still UTF-8.
            encoding = "utf-8" if error.start >= len(sample) - 3 else "cp1258"
    return io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict")


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _read_csv(raw, aliases: dict[str, str]) -> Iterator[Row]:
    text = _decode_stream(raw)
    try:
        first = text.readline()
        text.seek(0)
    except UnicodeDecodeError:
        raise UnreadableFile("bảng mã ký tự không nhận ra", "unknown text encoding") from None
    reader = csv.reader(text, delimiter=_sniff_delimiter(first))
    try:
        header = None
        for record in reader:
            if header is None:
                if any(cell.strip() for cell in record):
                    header = [aliases.get(header_key(c), header_key(c)) for c in record]
                continue
            if not any(cell.strip() for cell in record):
                continue
            yield Row(reader.line_num, _row_values(header, map(_clean, record)))
    except UnicodeDecodeError:
        raise UnreadableFile("bảng mã ký tự không nhận ra", "unknown text encoding") from None
    except csv.Error as error:
        line = reader.line_num
        raise UnreadableFile(f"dòng {line}: {error}", f"line {line}: {error}") from None


def _row_values(header: list[str], cells) -> dict[str, str]:
    """Cells by column name; a short row's missing cells are empty (so a missing value is
    reported against its column, not mistaken for a missing column)."""
    values = dict.fromkeys(header, "")
    values.update(zip(header, cells, strict=False))
    return values


def _clean(text: str) -> str:
    """NFC: Vietnamese arrives composed from some keyboards and decomposed from others (and
    always decomposed from Windows-1258), and must compare equal either way."""
    return unicodedata.normalize("NFC", text).strip()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clean(str(value))


def _read_xlsx(raw, aliases: dict[str, str]) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(raw, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a damaged file
        raise UnreadableFile(
            "tệp Excel hỏng hoặc không phải .xlsx", "damaged or not .xlsx"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        header = None
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            texts = [_cell_text(c) for c in cells]
            if header is None:
                if any(texts):
                    header = [aliases.get(header_key(c), header_key(c)) for c in texts]
                continue
            if any(texts):
                yield Row(number, _row_values(header, texts))
    finally:
        workbook.close()


def read_rows(raw, filename: str, aliases: dict[str, str] | None = None) -> Iterator[Row]:
    """Yields the data rows of a .csv or .xlsx upload with header names normalised by
    header_key() and mapped through `aliases` (e.g. {'ten_dia_diem': 'name'})."""
    aliases = aliases or {}
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(raw, aliases)
    if name.endswith((".csv", ".txt")):
        return _read_csv(raw, aliases)
    raise UnreadableFile("chỉ nhận tệp .csv hoặc .xlsx", "only .csv and .xlsx are accepted")
