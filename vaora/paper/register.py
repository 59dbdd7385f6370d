"""The blank paper register a venue prints for visitors without a device (A4 landscape: the
venue, its code and check-in QR, and ruled columns that match the upload template), and the
CSV/XLSX template clerks type a filled register into."""

import unicodedata

import segno

from vaora.core import exports
from vaora.venues import posters, tokens
from vaora.venues.models import Venue

TEMPLATE_COLUMNS = ["Ngày", "Họ tên", "Số điện thoại", "CCCD", "Giờ vào", "Giờ ra",
                    "Sốt, ho, khó thở", "Tiếp xúc F0", "Khu vực"]  # fmt: skip
# (heading, width in mm) — 273 mm of an A4 landscape page's 297.
COLUMNS = [
    ("STT\nNo.", 11), ("Họ và tên\nFull name", 62), ("Số điện thoại\nPhone", 36),
    ("Số CCCD\nID number", 38), ("Giờ vào\nTime in", 22), ("Giờ ra\nTime out", 22),
    ("Sốt, ho, khó thở?\nFever, cough, short breath?", 32),
    ("Tiếp xúc F0?\nContact with a case?", 30), ("Ký\nSign", 20),
]  # fmt: skip
ROWS_PER_PAGE = 16
MAX_PAGES = 50


def template(fmt: str, venue: Venue):
    """An empty register to type into, with the columns the import understands."""
    return exports.response(fmt, TEMPLATE_COLUMNS, [], f"so-dang-ky-{venue.short_code}")


def _header(pdf, venue: Venue, page: int) -> float:
    nfc = lambda s: unicodedata.normalize("NFC", s)  # noqa: E731
    pdf.set_text_color(20, 24, 28)
    pdf.set_font("poster", "B", 15)
    pdf.text(12, 16, nfc("SỔ ĐĂNG KÝ RA VÀO · VISITOR REGISTER"))
    pdf.set_font("poster", "B", 12)
    pdf.text(12, 24, nfc(venue.name)[:80])
    pdf.set_font("poster", "", 9)
    place = ", ".join(p for p in [venue.address, venue.commune.name] if p)
    pdf.text(12, 30, nfc(place)[:110])
    pdf.text(12, 36, f"Mã địa điểm / Venue code: {venue.display_code}      "
                     "Ngày / Date: ....../....../20......      "
                     f"Trang / Page {page}")  # fmt: skip
    pdf.set_font("poster", "", 8)
    pdf.text(12, 41, nfc("Người có điện thoại: quét mã QR bên phải để tự khai báo. Các cột phải "
                         "khớp với tệp mẫu khi nhập lên vaora."))  # fmt: skip
    # The venue's check-in QR, so a visitor with a phone can skip the paper.
    matrix = segno.make(tokens.url_for(venue), error="m").matrix
    unit = 30 / len(matrix)
    x0, y0 = 297 - 12 - 30, 8
    pdf.set_fill_color(0, 0, 0)
    for r, c, n in posters.qr_runs(matrix):
        pdf.rect(x0 + c * unit, y0 + r * unit, n * unit, unit, style="F")
    return 46


def _table(pdf, top: float) -> None:
    pdf.set_draw_color(60, 60, 60)
    pdf.set_line_width(0.2)
    x, head, row = 12, 12, 9.4
    pdf.set_font("poster", "B", 7.5)
    for heading, width in COLUMNS:
        pdf.rect(x, top, width, head)
        for i, text in enumerate(heading.split("\n")):
            pdf.set_font("poster", "B" if i == 0 else "", 7.5 if i == 0 else 6.5)
            pdf.text(x + 1.2, top + 4.6 + i * 4.2, text)
        x += width
    for r in range(ROWS_PER_PAGE):
        x, y = 12, top + head + r * row
        for _heading, width in COLUMNS:
            pdf.rect(x, y, width, row)
            x += width


def blank_register_pdf(venue: Venue, pages: int = 1) -> bytes:
    pdf = posters._new_pdf()
    for page in range(1, max(1, min(pages, MAX_PAGES)) + 1):
        pdf.add_page(orientation="L", format="A4")
        _table(pdf, _header(pdf, venue, page))
    return bytes(pdf.output())
