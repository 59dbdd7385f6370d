"""Hostile venue names are inert: escaped on pages and posters (threat 20), neutralised in
CSV and XLSX exports (threat 1)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from vaora.venues import posters, tokens
from vaora.venues.models import Venue

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"
FORMULAS = ['=HYPERLINK("http://x","x")', "@SUM(1)", "\t=1", "-2+3", "+1", '=HYPERLINK("x")']
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(tenant_a):
    names = [SCRIPT, *FORMULAS]
    return [
        Venue.objects.create(
            organisation=tenant_a.organisation,
            name=name,
            kind="shop",
            commune=tenant_a.commune,
            address=SCRIPT,
        )  # fmt: skip
        for name in names
    ]


def test_it_escapes_a_script_name_on_every_page(hostile, users, signed_in, client):
    venue = hostile[0]
    manager = signed_in(users["org_manager"])
    pages = [f"/venues/{venue.pk}/", f"/org/{venue.organisation_id}/", "/home/"]
    for url in pages:
        page = manager.get(url).content.decode()
        assert SCRIPT not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
    scan = client.get("/V/" + tokens.token_for(venue)).content.decode()
    assert SCRIPT not in scan and "&lt;script&gt;" in scan


def test_it_prints_a_script_name_as_plain_text_on_posters(hostile):
    svg = posters.poster(hostile[0], "svg", "a4").decode()
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    import pypdfium2

    text = pypdfium2.PdfDocument(posters.poster(hostile[0], "pdf", "a4"))[0].get_textpage()
    assert "<script>alert(1)</script>" in text.get_text_range()  # shown, as text, not run


def test_it_neutralises_formulas_in_csv_exports(hostile, users, signed_in):
    manager = signed_in(users["org_manager"])
    body = manager.get(f"/org/{hostile[0].organisation_id}/venues.csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert not [c for c in cells if c.startswith(TRIGGERS)]
    for name in FORMULAS:
        assert "'" + name in cells


def test_it_types_every_xlsx_cell_as_text_and_neutralises_formulas(hostile, users, signed_in):
    manager = signed_in(users["org_manager"])
    body = manager.get(f"/org/{hostile[0].organisation_id}/venues.xlsx").content
    sheet = load_workbook(io.BytesIO(body)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type == "s" for cell in cells)
    assert not [c.value for c in cells if str(c.value).startswith(TRIGGERS)]
    for name in FORMULAS:
        assert "'" + name in {c.value for c in cells}
