"""What a gate or a checkpoint scans off a citizen's phone: the personal QR (the citizen's and
a dependant's) and the travel declaration's QR, in Debian's Chromium at a cheap phone's
360×640 and a desktop's 1366×768, screenshotted and decoded from the picture with zxing-cpp.
The screenshots are kept under var/screenshots/ as test artefacts."""

import datetime
import io
from pathlib import Path

import pytest
import zxingcpp
from django.test import Client
from django.utils import timezone
from PIL import Image

from tests.browser.conftest import FLAGS, require_chromium
from vaora.core.models import Place
from vaora.people import codes, declarations
from vaora.people.models import Means

pytestmark = pytest.mark.django_db(transaction=True)
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SIZES = [(360, 640), (1366, 768)]


def decoded(png: bytes) -> list[str]:
    """The tokens of the QR codes a scanner reads in the picture (the part after the last /).
    QR only and each text once, as a gate's scanner reads: with every format on, zxing once
    reported two codes on a poster screenshot that shows one (CI, stop 21; the second code's
    kind was not printed; 150 renders of new posters since found none)."""
    picture = Image.open(io.BytesIO(png))
    found = zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode)
    # One code read twice (two finder-pattern candidates) is still one code on the screen.
    return list(dict.fromkeys(code.text.rsplit("/", 1)[-1] for code in found))


@pytest.fixture
def phone_of(citizen, live_server, settings):
    """phone_of(width, height) → a page signed in as the citizen at that screen size."""
    from playwright.sync_api import sync_playwright

    client = Client()
    client.force_login(citizen)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require_chromium(), args=FLAGS)

        def open_at(width, height):
            context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                          viewport={"width": width, "height": height})  # fmt: skip
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session,
                                  "url": live_server.url}])  # fmt: skip
            return context.new_page()

        yield open_at
        browser.close()


def screenshot(page, name: str) -> bytes:
    SCREENS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    png = page.screenshot(full_page=True)
    (SCREENS / f"{name}-{size['width']}x{size['height']}.png").write_bytes(png)
    return png


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_it_shows_a_personal_qr_that_scans_off_the_screen(phone_of, citizen, width, height):
    page = phone_of(width, height)
    page.goto("/me/qr/")
    [token] = decoded(screenshot(page, "personal-qr"))
    assert codes.resolve_person(token) == citizen.person
    dependant = citizen.person.dependants.order_by("pk").first()
    page.goto(f"/me/qr/?for={dependant.pk}")
    [token] = decoded(screenshot(page, "dependant-qr"))
    assert codes.resolve_person(token) == dependant


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_it_shows_a_travel_qr_that_scans_off_the_screen(phone_of, citizen, width, height):
    declaration = declarations.declare_travel(citizen.person, {
        "from_commune": Place.objects.get(scheme="2025", code="16681"),
        "to_commune": Place.objects.get(scheme="2025", code="00004"),
        "departure_date": timezone.localdate() + datetime.timedelta(days=1),
        "means": Means.COACH, "transport_ref": "37B 12345", "purpose": "Công tác"})  # fmt: skip
    page = phone_of(width, height)
    page.goto(f"/me/travel/{declaration.pk}/")
    [token] = decoded(screenshot(page, "travel-qr"))
    assert codes.resolve_travel(token) == declaration


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_it_shows_a_venue_poster_that_scans_off_the_screen(users, tenant_a, live_server,
                                                           settings, width, height):  # fmt: skip
    """The poster the manager downloads (SVG), opened in the browser at the screen's width."""
    from playwright.sync_api import sync_playwright

    from vaora.core.roles import Role
    from vaora.venues import tokens

    client = Client()
    client.force_login(users[Role.ORG_MANAGER])
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require_chromium(), args=FLAGS)
        context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                      viewport={"width": width, "height": height})  # fmt: skip
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session,
                              "url": live_server.url}])  # fmt: skip
        page = context.new_page()
        poster = f"/venues/{tenant_a.venue.pk}/poster?format=svg&size=a4"
        svg = client.get(poster).content.decode()
        page.set_content(f'<body style="margin:0"><div style="width:100vw">{svg}</div></body>')
        page.eval_on_selector("svg", "s => { s.style.width = '100%'; s.style.height = 'auto'; }")
        [token] = decoded(screenshot(page, "venue-poster"))
        browser.close()
    assert tokens.resolve(token).venue == tenant_a.venue
