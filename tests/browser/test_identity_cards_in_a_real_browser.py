"""Identity cards at the gate in Debian's Chromium: the fake camera plays the QR of a visitor's
chip identity card and the entry is recorded for the person the card names; with the network
cut, a USB scanner types a card (keystrokes then Enter), the scan waits in the device's queue
with nothing of the card in clear — not the number, the name or the address — and is sent once
when the network returns."""

import json

import pytest

from tests.browser.conftest import write_y4m
from tests.browser.test_gate_scanner_in_a_real_browser import staff_browser, wait_for
from tests.cards.samples import ADDRESS, card, qr_image
from vaora.core.roles import Role
from vaora.people.models import Person
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)

# Everything a gate device keeps for itself: the queue's and the key's IndexedDB databases
# (values serialised with their bytes), and localStorage.
DEVICE_STORAGE = """async () => {
  const dump = async (name, store) => new Promise((resolve) => {
    const open = indexedDB.open(name);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(store)) { db.close(); resolve([]); return; }
      const all = db.transaction(store).objectStore(store).getAll();
      all.onsuccess = () => { db.close(); resolve(all.result); };
    };
  });
  const bytes = (key, value) => value instanceof Uint8Array ? Array.from(value) : value;
  const names = (await indexedDB.databases()).map((d) => d.name);
  const stored = {};
  for (const name of names) {
    stored[name] = await dump(name, name.startsWith("vaora-gate-key") ? "keys" : "queue");
  }
  return JSON.stringify({ indexeddb: stored, local: Object.assign({}, localStorage) }, bytes);
}"""


def test_it_checks_in_the_person_a_card_names_from_the_camera(
    users, tenant_a, live_server, tmp_path, settings
):
    known = Person.rows.create(name="Nguyễn Văn An", cccd="040090012345")
    video = tmp_path / "cccd.y4m"
    write_y4m(qr_image(card()), video)
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
        shown = result.inner_text()
        browser.close()
    assert "Nguyễn V. A." in shown and "Nguyễn Văn An" not in shown  # the name masked
    assert "Không có số điện thoại để liên lạc" in shown  # no phone on record
    visit = Visit.rows.get()
    assert (visit.person, visit.venue, visit.source) == (known, tenant_a.venue, "assisted")
    assert Person.rows.count() == 2  # the tenant's own person and the card's: no new walk-in


def test_it_queues_a_wedge_scanned_card_offline_with_nothing_in_clear(
    users, tenant_a, live_server, settings
):
    typed = card(number="040185054321", name="Trần Thị Bích", sex="Nữ", born="01021985")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser, context = staff_browser(playwright, live_server, settings,
                                         users[Role.VENUE_STAFF])  # fmt: skip
        page = context.new_page()
        page.goto(f"/venues/{tenant_a.venue.pk}/gate/")
        page.wait_for_function("() => localStorage.getItem('vaora-keys') !== null")
        context.set_offline(True)
        page.locator("#gate-phone").fill("0912 777 888")
        page.locator("#gate-code").focus()
        page.keyboard.type(typed)  # a USB scanner is a keyboard: the characters, then Enter
        page.keyboard.press("Enter")
        page.locator("#gate-result").get_by_text("Trần T. B.").wait_for()
        page.locator("#gate-pending").get_by_text("1").wait_for()
        stored = page.evaluate(DEVICE_STORAGE)
        assert json.loads(stored)["indexeddb"], "the queue is in IndexedDB"
        for secret in ("040185054321", "Trần", "Bích", ADDRESS, "Nghi Phong", "01021985",
                       "187654321", "0912777888", "0912 777 888"):  # fmt: skip
            assert secret not in stored, secret
        assert Visit.rows.count() == 0
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        assert wait_for(lambda: Visit.rows.count() == 1)
        page.locator("#gate-pending").wait_for(state="hidden")
        page.locator("#gate-result").get_by_text("Đã gửi: 1 lượt quét").wait_for()
        page.get_by_role("button", name="Gửi ngay các lượt đã lưu").click()
        page.wait_for_timeout(1000)
        after = page.evaluate(DEVICE_STORAGE)
        browser.close()
    assert json.loads(after)["indexeddb"][f"vaora-gate-{tenant_a.venue.pk}"] == []  # cleared
    person = Person.rows.by_cccd("040185054321").get()
    assert (person.name, person.phone, person.birth_year) == ("Trần Thị Bích", "+84912777888", 1985)
    assert Visit.rows.get().person == person and Visit.rows.count() == 1
