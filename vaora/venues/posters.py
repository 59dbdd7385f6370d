"""Posters: one layout in millimetres, drawn as PDF (fpdf2), PNG (Pillow) or SVG.

The font is Be Vietnam Pro (SIL OFL, bundled under fonts/): it covers every Vietnamese letter
and tone mark, and text is measured with the same font that draws it, so lines wrap alike in
every format.
"""

import io
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.utils import translation
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from vaora.core.errors import VaoraError
from vaora.venues import tokens
from vaora.venues.models import Venue, Zone

FONTS = Path(__file__).parent / "fonts"
REGULAR, BOLD = FONTS / "BeVietnamPro-Regular.ttf", FONTS / "BeVietnamPro-Bold.ttf"
SIZES = {"a4": (210.0, 297.0), "a5": (148.0, 210.0), "a6": (105.0, 148.0)}
FORMATS = ("pdf", "png", "svg")
PT = 25.4 / 72  # millimetres per point
BRAND = (11, 107, 58)
PNG_DPI = 150
QR_BORDER = 4  # modules of quiet zone, as the standard asks


@dataclass
class Text:
    x: float  # left edge, mm
    top: float  # top of the line box, mm
    text: str
    size: float  # points
    bold: bool = False
    white: bool = False

    @property
    def baseline(self) -> float:
        return self.top + self.size * PT * 1.05


@dataclass
class Layout:
    width: float
    height: float
    band: float  # height of the coloured header band, mm
    texts: list[Text] = field(default_factory=list)
    qr_x: float = 0.0
    qr_y: float = 0.0
    qr_size: float = 0.0
    matrix: tuple = ()


@lru_cache(maxsize=64)
def _font(bold: bool, tenths_of_point: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD if bold else REGULAR), tenths_of_point)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Advance width in mm (measured at ten times the size for precision)."""
    return _font(bold, round(size * 10)).getlength(text) / 10 * PT


def wrap(text: str, size: float, bold: bool, width: float) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and text_width(candidate, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


@dataclass(frozen=True)
class PosterContent:
    name: str
    zone: str
    kind: str
    address: str
    url: str
    code: str


def content_for(obj: Venue | Zone) -> PosterContent:
    venue = obj.venue if isinstance(obj, Zone) else obj
    with translation.override("vi"):
        kind = str(venue.get_kind_display())
        zone = f"{obj.get_kind_display()}: {obj.name}" if isinstance(obj, Zone) else ""
    place = ", ".join(p for p in [venue.address, venue.commune.name] if p)
    if venue.plate_number:
        place = f"Biển số {venue.plate_number}" + (f" · {venue.route}" if venue.route else "")
    clean = lambda s: unicodedata.normalize("NFC", s)  # noqa: E731
    return PosterContent(
        clean(venue.name), clean(zone), kind, clean(place), tokens.url_for(obj), obj.display_code
    )


def layout(content: PosterContent, size: str) -> Layout:
    width, height = SIZES[size]
    s = width / 210.0
    margin = 12 * s
    usable = width - 2 * margin
    page = Layout(width, height, band=24 * s)
    y = 7 * s

    def centred(text: str, pt: float, bold=False, gap=1.45, white=False):
        nonlocal y
        for line in wrap(text, pt * s, bold, usable):
            x = (width - text_width(line, pt * s, bold)) / 2
            page.texts.append(Text(x, y, line, pt * s, bold, white))
            y += pt * s * PT * gap

    centred("QUÉT MÃ QR KHI VÀO VÀ RA", 22, bold=True, white=True)
    centred("Scan when you enter and leave", 12, white=True)
    y = page.band + 7 * s
    centred(content.name, 22, bold=True, gap=1.35)
    if content.zone:
        centred(content.zone, 16, bold=True)
    centred(f"{content.kind} · {content.address}", 12)
    y += 3 * s
    qr = segno.make(content.url, error="m", micro=False)
    page.matrix = tuple(tuple(bool(v) for v in row) for row in qr.matrix)
    page.qr_size = min(120 * s, height - y - 78 * s)
    page.qr_x, page.qr_y = (width - page.qr_size) / 2, y
    y += page.qr_size + 3 * s
    centred(f"Mã địa điểm: {content.code}", 20, bold=True)
    y += 2 * s
    for line in [
        "1. Mở camera điện thoại, hướng vào mã QR, chạm vào đường liên kết hiện ra.",
        "2. Bấm VÀO khi đến, bấm RA khi rời đi. Không cần cài ứng dụng.",
        "Open your phone camera, point it at the code, tap the link. Tap IN on arrival, "
        "OUT when leaving. No app needed.",
    ]:
        centred(line, 11.5 if line[0].isdigit() else 10)
    y += 2 * s
    centred("Không có điện thoại? Hãy báo nhân viên, hoặc điền tờ khai giấy tại đây.", 11.5,
            bold=True)  # fmt: skip
    centred("No phone? Ask the staff, or fill in the paper form here.", 10)
    host = settings.VAORA_PUBLIC_URL.split("://", 1)[-1]
    y = height - margin
    centred(f"Camera không quét được? Vào {host}/c/ và nhập mã {content.code}", 9)
    return page


# --- renderers ------------------------------------------------------------------------------


def qr_runs(matrix):
    """(row, first column, length) of each horizontal run of dark modules."""
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                yield r, start, c - start
            else:
                c += 1


def _module(page: Layout) -> float:
    return page.qr_size / (len(page.matrix) + 2 * QR_BORDER)


def _add_pdf_page(pdf: FPDF, page: Layout) -> None:
    pdf.add_page(format=(page.width, page.height))
    pdf.set_fill_color(*BRAND)
    pdf.rect(0, 0, page.width, page.band, style="F")
    for t in page.texts:
        pdf.set_font("poster", "B" if t.bold else "", t.size)
        pdf.set_text_color(*((255, 255, 255) if t.white else (20, 24, 28)))
        pdf.text(t.x, t.baseline, t.text)
    pdf.set_fill_color(0, 0, 0)
    unit = _module(page)
    for r, c, n in qr_runs(page.matrix):
        x = page.qr_x + (c + QR_BORDER) * unit
        y = page.qr_y + (r + QR_BORDER) * unit
        pdf.rect(x, y, n * unit, unit, style="F")


def _new_pdf() -> FPDF:
    pdf = FPDF(unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_creator("vaora")
    pdf.add_font("poster", "", str(REGULAR))
    pdf.add_font("poster", "B", str(BOLD))
    return pdf


def render_pdf(pages: list[Layout]) -> bytes:
    pdf = _new_pdf()
    for page in pages:
        _add_pdf_page(pdf, page)
    return bytes(pdf.output())


def render_png(page: Layout, dpi: int = PNG_DPI) -> bytes:
    px = dpi / 25.4
    image = Image.new("RGB", (round(page.width * px), round(page.height * px)), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, image.width, round(page.band * px)], fill=BRAND)
    for t in page.texts:
        font = _font(t.bold, round(t.size / 72 * dpi * 10) // 10)
        fill = (255, 255, 255) if t.white else (20, 24, 28)
        draw.text((t.x * px, t.baseline * px), t.text, font=font, fill=fill, anchor="ls")
    unit = _module(page) * px
    for r, c, n in qr_runs(page.matrix):
        x0 = page.qr_x * px + (c + QR_BORDER) * unit
        y0 = page.qr_y * px + (r + QR_BORDER) * unit
        draw.rectangle([x0, y0, x0 + n * unit - 1, y0 + unit - 1], fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi), optimize=True)
    return out.getvalue()


def render_svg(page: Layout) -> bytes:
    unit = _module(page)
    path = "".join(
        f"M{page.qr_x + (c + QR_BORDER) * unit:.3f} {page.qr_y + (r + QR_BORDER) * unit:.3f}"
        f"h{n * unit:.3f}v{unit:.3f}h{-n * unit:.3f}z"
        for r, c, n in qr_runs(page.matrix)
    )
    texts = "".join(
        f'<text x="{t.x:.2f}" y="{t.baseline:.2f}" font-size="{t.size * PT:.2f}" '
        f'font-weight="{700 if t.bold else 400}" fill="{"#fff" if t.white else "#14181c"}">'
        f"{escape(t.text)}</text>"
        for t in page.texts
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{page.width}mm" '
        f'height="{page.height}mm" viewBox="0 0 {page.width} {page.height}">'
        f'<rect width="100%" height="100%" fill="#fff"/>'
        f'<rect width="{page.width}" height="{page.band:.2f}" fill="rgb{BRAND}"/>'
        f"<g font-family=\"'Be Vietnam Pro', 'Noto Sans', Arial, sans-serif\">{texts}</g>"
        f'<path d="{path}" fill="#000"/></svg>'
    )
    return svg.encode()


CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "svg": "image/svg+xml"}


def poster(obj: Venue | Zone, fmt: str = "pdf", size: str = "a4") -> bytes:
    """One poster. A revoked venue or zone (or a zone of a revoked venue) has none: its code is
    refused at every scan, so a poster of it would only mislead (page and API alike)."""
    venue = obj if isinstance(obj, Venue) else obj.venue
    if obj.revoked_at or venue.revoked_at:
        raise VaoraError(
            "poster_revoked", "Mã của địa điểm này đã bị thu hồi: không in áp phích.",
            "This venue's code is revoked: there is no poster to print.", 409,
        )  # fmt: skip
    page = layout(content_for(obj), size)
    if fmt == "pdf":
        return render_pdf([page])
    if fmt == "png":
        return render_png(page)
    return render_svg(page)


def posters_pdf(objects, size: str = "a4") -> bytes:
    """One multi-page PDF, a poster per venue or zone (built page by page)."""
    pdf = _new_pdf()
    for obj in objects:
        _add_pdf_page(pdf, layout(content_for(obj), size))
    return bytes(pdf.output())
