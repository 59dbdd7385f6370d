"""The gate scanner in Debian's Chromium: the fake camera plays a visitor's personal QR and the
entry is recorded; with the network cut, three scans (typed as a USB scanner types) are checked
against the published keys on the device and queued, a forged one is refused on the spot, and
when the network returns the three are sent — once."""

import io
import time

import pytest
import segno
from django.test import Client
from PIL import Image

from tests.browser.conftest import FLAGS, require_chromium, write_y4m
from vaora.core.roles import Role
from vaora.people import codes
from vaora.people.models import Person
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)


def qr_image(text: str) -> Image.Image:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=8, border=4)
    return Image.open(out).convert("RGB")


def wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def staff_browser(playwright, live_server, settings, account, extra_flags=()):
    path = require_chromium()
    client = Client()
    client.force_login(account)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    browser = playwright.chromium.launch(executable_path=path, args=FLAGS + list(extra_flags))
    context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                  viewport={"width": 390, "height": 844})  # fmt: skip
    context.set_default_timeout(15000)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session,
                          "url": live_server.url}])  # fmt: skip
    return browser, context


def test_it_reads_a_personal_qr_from_the_camera_and_records_the_entry(
    users, citizen, tenant_a, live_server, tmp_path, settings
):
    video = tmp_path / "card.y4m"
    write_y4m(qr_image(codes.person_url(citizen.person)), video)
    camera = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              f"--use-file-for-fake-video-capture={video}"]  # fmt: skip
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser, context = staff_browser(playwright, live_server, settings,
                                         users[Role.VENUE_STAFF], camera)  # fmt: skip
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        page.goto(f"/venues/{tenant_a.venue.pk}/gate/")
        page.get_by_role("button", name="Quét bằng camera").click()
        result = page.locator("#gate-result")
        result.get_by_text("Đã ghi nhận vào").wait_for(timeout=20000)
        assert result.locator(".gate-initial").inner_text() == citizen.person.initial
        browser.close()
    visit = Visit.rows.get(person=citizen.person)
    assert (visit.venue, visit.source) == (tenant_a.venue, "staff_scan")


def test_it_verifies_queues_and_sends_offline_scans_exactly_once(
    users, tenant_a, live_server, settings
):
    settings.VAORA_PUBLIC_URL = live_server.url
    visitors = [Person.rows.create(name=f"Khách Số {i}", phone=f"09123456{i:02d}")
                for i in range(3)]  # fmt: skip
    codes_typed = [codes.person_url(p) for p in visitors]
    genuine = codes_typed[0].rsplit("/", 1)[1]
    forged = genuine[:-6] + ("AAAAAA" if not genuine.endswith("AAAAAA") else "BBBBBB")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser, context = staff_browser(playwright, live_server, settings,
                                         users[Role.VENUE_STAFF])  # fmt: skip
        page = context.new_page()
        page.goto(f"/venues/{tenant_a.venue.pk}/gate/")
        page.wait_for_function("() => localStorage.getItem('vaora-keys') !== null")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        page.reload()  # now through the service worker, which keeps a copy of the page
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        context.set_offline(True)
        page.reload()  # a gate phone restarted with no network still has its scanner
        reach = "() => fetch('/healthz', {cache: 'no-store'}).then(() => 'up', () => 'down')"
        assert page.evaluate(reach) == "down"  # so the page above came from the device
        field = page.locator("#gate-code")
        for text in codes_typed:
            field.fill(text)
            field.press("Enter")  # what a USB scanner sends after the code
            page.locator("#gate-result").get_by_text("Mã hợp lệ").wait_for()
        page.locator("#gate-pending").get_by_text("3").wait_for()
        field.fill(forged)
        field.press("Enter")
        page.locator("#gate-result").get_by_text("bị sửa đổi").wait_for()
        assert Visit.rows.count() == 0
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        assert wait_for(lambda: Visit.rows.count() == 3)
        page.locator("#gate-pending").wait_for(state="hidden")
        page.get_by_role("button", name="Gửi ngay các lượt đã lưu").click()
        page.wait_for_timeout(1000)
        browser.close()
    assert Visit.rows.count() == 3
    assert set(Visit.rows.values_list("person_id", flat=True)) == {p.pk for p in visitors}
    assert set(Visit.rows.values_list("source", flat=True)) == {"staff_scan"}


def test_it_checks_in_a_grandmother_without_a_phone_within_20_seconds(
    users, tenant_a, live_server, settings
):
    """From the gate scanner to a recorded entry, typing as a gate officer would."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser, context = staff_browser(playwright, live_server, settings,
                                         users[Role.VENUE_STAFF])  # fmt: skip
        page = context.new_page()
        page.goto(f"/venues/{tenant_a.venue.pk}/gate/")
        started = time.monotonic()
        page.get_by_role("link", name="Khách không có điện thoại").click()
        page.get_by_label("Họ và tên").fill("Nguyễn Thị Bà")
        page.get_by_label("Số điện thoại (nếu có)").fill("0912 345 000")
        page.get_by_role("button", name="Khai báo VÀO").click()
        page.locator(".gate-result").get_by_text("Đã ghi nhận vào").wait_for()
        elapsed = time.monotonic() - started
        # ready for the next visitor: the cursor is back in the name field
        assert page.evaluate("document.activeElement && document.activeElement.name") == "name"
        browser.close()
    assert elapsed < 20
    visit = Visit.rows.get()
    assert (visit.source, visit.person.name) == ("assisted", "Nguyễn Thị Bà")
