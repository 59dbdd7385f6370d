"""CSV and XLSX downloads that cannot run code on the reader's computer (threat 1: a guest named
=HYPERLINK(...) once did, in Luca's exports). Every text cell that a spreadsheet would read as a
formula is prefixed with an apostrophe, and XLSX cells are written as typed text."""

import csv
import io

from django.http import HttpResponse

from vaora.core.errors import VaoraError

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_text(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def to_csv(header: list[str], rows) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # Excel needs the BOM to read UTF-8 Vietnamese correctly
    writer = csv.writer(out)
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow([safe_text(v) for v in row])
    return out.getvalue().encode("utf-8")


def to_xlsx(header: list[str], rows, title: str = "vaora") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])

    def cells(values):
        for value in values:
            cell = WriteOnlyCell(sheet, value=safe_text(value))
            cell.data_type = "s"  # text, never a formula
            yield cell

    sheet.append(list(cells(header)))
    for row in rows:
        sheet.append(list(cells(row)))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def response(fmt: str, header: list[str], rows, filename: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise VaoraError("unknown_format", "Chỉ tải được .csv hoặc .xlsx.",
                         "Only .csv and .xlsx downloads exist.", 404)  # fmt: skip
    body = to_csv(header, rows) if fmt == "csv" else to_xlsx(header, rows)
    return attachment(body, fmt, filename)


def attachment(body: bytes, fmt: str, filename: str) -> HttpResponse:
    """A download of `body`, already in the format `fmt` (csv or xlsx)."""
    reply = HttpResponse(body, content_type=FORMATS[fmt])
    reply["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return reply
