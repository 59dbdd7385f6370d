"""Posters in every format and size carry a QR that real decoders read, whose URL opens the
venue; every Vietnamese letter renders (the PDF's text is extracted and compared)."""

import io
import time
import unicodedata

import pypdfium2
import pytest
import resvg_py
import zxingcpp
from django.core.management import call_command
from fontTools.ttLib import TTFont
from PIL import Image

from vaora.venues import posters

pytestmark = pytest.mark.django_db

VIETNAMESE_LETTERS = (
    "".join(
        unicodedata.normalize("NFC", base + mark)
        for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
        for mark in ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    )
    + "đĐ"
)


def decode(image: Image.Image) -> str:
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, "exactly one QR code on a poster"
    return found[0].text


def rasterise(fmt: str, body: bytes) -> list[Image.Image]:
    if fmt == "png":
        return [Image.open(io.BytesIO(body))]
    if fmt == "svg":
        png = resvg_py.svg_to_bytes(svg_string=body.decode(), dpi=150)
        return [Image.open(io.BytesIO(bytes(png)))]
    document = pypdfium2.PdfDocument(body)
    return [page.render(scale=150 / 72).to_pil() for page in document]


def pdf_text(body: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(body)
    return [page.get_textpage().get_text_range() for page in document]


def opens_the_venue(client, url: str, name: str) -> None:
    assert url.startswith("HTTPS://VAORA.TEST/V/")
    response = client.get("/" + url.split("/", 3)[3])
    assert response.status_code == 200
    assert name in response.content.decode()


@pytest.mark.parametrize("fmt", posters.FORMATS)
@pytest.mark.parametrize("size", list(posters.SIZES))
def test_it_prints_every_format_and_size_so_it_decodes_to_a_url_that_opens_the_venue(
    client, tenant_a, fmt, size
):
    body = posters.poster(tenant_a.venue, fmt, size)
    (image,) = rasterise(fmt, body)
    opens_the_venue(client, decode(image), tenant_a.venue.name)


def test_it_opens_the_zone_from_a_zone_poster(client, tenant_a):
    (image,) = rasterise("png", posters.poster(tenant_a.zone, "png", "a5"))
    opens_the_venue(client, decode(image), "Khoa Nhi")


def test_it_prints_the_qr_at_least_6_cm_wide_on_a4(tenant_a):
    page = posters.layout(posters.content_for(tenant_a.venue), "a4")
    assert page.qr_size >= 60
    assert page.matrix and len(page.matrix) <= 45  # version 6 or smaller: alphanumeric mode


def test_it_carries_every_vietnamese_letter_and_the_poster_facts_in_the_pdf_text(tenant_a):
    tenant_a.venue.name = f"Trạm kiểm tra {VIETNAMESE_LETTERS}"
    tenant_a.venue.save()
    (text,) = pdf_text(posters.poster(tenant_a.venue, "pdf", "a4"))
    flat = unicodedata.normalize("NFC", " ".join(text.split()))
    assert VIETNAMESE_LETTERS in flat.replace(" ", "")
    expected = [
        "QUÉT MÃ QR KHI VÀO VÀ RA", tenant_a.venue.display_code, "Bệnh viện",
        "Không có điện thoại?", "No phone? Ask the staff", "Không cần cài ứng dụng",
    ]  # fmt: skip
    for line in expected:
        assert line in flat, line


def test_it_uses_a_font_with_a_glyph_for_every_vietnamese_letter():
    for font_file in (posters.REGULAR, posters.BOLD):
        cmap = TTFont(font_file).getBestCmap()
        missing = [ch for ch in VIETNAMESE_LETTERS if ord(ch) not in cmap]
        assert missing == [], font_file.name


def test_it_writes_each_format_from_the_command_line(tenant_a, tmp_path, client, capsys):
    for fmt in posters.FORMATS:
        target = tmp_path / f"poster.{fmt}"
        call_command("poster", tenant_a.venue.display_code.lower(), "-o", str(target),
                     "--size", "a6")  # fmt: skip
        (image,) = rasterise(fmt, target.read_bytes())
        opens_the_venue(client, decode(image), tenant_a.venue.name)


def test_it_gives_a_bulk_pdf_a_page_per_venue_that_decodes(client, tenant_a):
    from vaora.venues.models import Venue

    for number in range(4):
        Venue.objects.create(organisation=tenant_a.organisation, name=f"Cổng {number}",
                             kind="hospital", commune=tenant_a.commune)  # fmt: skip
    venues = tenant_a.organisation.venues.order_by("name")
    body = posters.posters_pdf(venues, "a5")
    images = rasterise("pdf", body)
    assert len(images) == 5
    for image, venue in zip(images, venues, strict=True):
        opens_the_venue(client, decode(image), venue.name)


@pytest.mark.slow
def test_it_produces_the_bulk_pdf_for_1000_venues(tenant_a, capsys):
    from vaora.venues.models import Venue, assign_codes

    batch = [
        Venue(organisation=tenant_a.organisation, name=f"Xe khách số {n}", kind="vehicle",
              commune=tenant_a.commune, plate_number=f"37B-{n:03d}.45")
        for n in range(999)
    ]  # fmt: skip
    for venue in batch:
        venue.apply_kind_defaults()
    assign_codes(batch)
    Venue.objects.bulk_create(batch)
    started = time.perf_counter()
    body = posters.posters_pdf(tenant_a.organisation.venues.select_related("commune"), "a4")
    seconds = time.perf_counter() - started
    assert len(pypdfium2.PdfDocument(body)) == 1000
    with capsys.disabled():
        print(f"\n  bulk poster PDF: 1000 venues in {seconds:.1f} s, {len(body) / 1e6:.1f} MB")
