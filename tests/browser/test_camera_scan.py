"""The real camera path: Chromium's fake camera plays a video of a generated poster; the in-page
scanner (vendored jsQR) reads the code, opens the check-in and the person checks in."""

import io
import time

import pytest
from django.test import Client
from PIL import Image

from tests.browser.conftest import FLAGS, require_chromium, write_y4m
from vaora.venues import posters
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)


def poster_video(venue, path, width=640, height=480, frames=20) -> None:
    """A Y4M (YUV 4:2:0) clip of the poster's QR area, as a phone camera would see it."""
    page = posters.layout(posters.content_for(venue), "a6")
    image = Image.open(io.BytesIO(posters.render_png(page, dpi=200))).convert("RGB")
    px = 200 / 25.4
    box = [round(v * px) for v in (page.qr_x - 4, page.qr_y - 4, page.qr_x + page.qr_size + 4,
                                   page.qr_y + page.qr_size + 4)]  # fmt: skip
    qr = image.crop(box)
    qr.thumbnail((height - 20, height - 20))
    write_y4m(qr, path, width, height, frames)


def test_it_reads_a_poster_from_the_camera_in_the_page_and_checks_in(
    citizen, tenant_a, live_server, tmp_path, settings
):
    path = require_chromium()
    settings.VAORA_PUBLIC_URL = live_server.url  # the poster points at this test server
    video = tmp_path / "poster.y4m"
    poster_video(tenant_a.venue, video)
    client = Client()
    client.force_login(citizen)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    from playwright.sync_api import sync_playwright

    camera = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              f"--use-file-for-fake-video-capture={video}"]  # fmt: skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=FLAGS + camera)
        context = browser.new_context(base_url=live_server.url, locale="vi-VN")
        context.grant_permissions(["camera"], origin=live_server.url)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session,
                              "url": live_server.url}])  # fmt: skip
        page = context.new_page()
        page.goto("/scan/")
        page.wait_for_url("**/V/**", timeout=20000)
        assert page.get_by_role("heading", name=tenant_a.venue.name).is_visible()
        page.get_by_role("button", name="Khai báo VÀO").click()
        page.wait_for_url("**/me/visits/")
        browser.close()
    deadline = time.monotonic() + 5
    while not Visit.rows.filter(person=citizen.person).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert Visit.rows.get(person=citizen.person).venue == tenant_a.venue
