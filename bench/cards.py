"""Identity cards at the gate, end to end (issue 17): 150 made-up chip identity cards checked
in at a hospital gate in Debian's Chromium against uvicorn — 50 held to the camera, 50 typed by
a USB scanner (keyboard wedge) online, 50 typed while the network is down and sent when it
returns. Per scan: from the card appearing (camera) or the first keystroke (wedge) to the
gate's confirmation on screen, and the server's time for each scan request.

The camera: getUserMedia is answered with a canvas's captureStream (30 fps, 640×480) on which
each card's QR is painted at a known instant, so "card visible → confirmation" is measured on
one clock; the page decodes it with its own jsQR exactly as from a phone camera (the
correctness test, tests/browser/test_identity_cards_in_a_real_browser.py, uses Chromium's fake
video device). The wedge: Playwright types each character as a key press, then Enter.

    make bench-cards     (SQLite; with DATABASE_URL set, that database)
"""

import base64
import io
import json
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

SQLITE = common.WORK / "cards.sqlite3"
PER_MODE = 50
KNOWN_SHARE = 3  # every third camera card belongs to a person vaora already knows
ADDRESS = "Số 12, Đường Lê Lợi, Phường Hưng Bình, Thành phố Vinh, Nghệ An"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Tâm"]

CAMERA = """
window.__bench = { shown: [], firstKey: null, enterKey: null };
(() => {
  const canvas = document.createElement("canvas");
  canvas.width = 640; canvas.height = 480;
  const g = canvas.getContext("2d");
  let showing = null;  // the card in front of the camera, or nothing
  const paint = () => {
    g.fillStyle = "#fff"; g.fillRect(0, 0, 640, 480);
    if (showing) g.drawImage(showing, (640 - showing.width) / 2, (480 - showing.height) / 2);
  };
  paint();
  setInterval(paint, 33);  // a camera sends frames whether or not anything moves
  window.__benchBlank = () => { showing = null; paint(); };
  window.__benchShow = (url) => new Promise((resolve) => {
    const image = new Image();
    image.onload = () => { showing = image; paint(); resolve(performance.now()); };
    image.src = url;
  });
  navigator.mediaDevices.getUserMedia = () => Promise.resolve(canvas.captureStream(30));
  document.addEventListener("keydown", (event) => {
    if (window.__bench.firstKey === null) window.__bench.firstKey = performance.now();
    if (event.key === "Enter") window.__bench.enterKey = performance.now();
  }, true);
})();
"""

WATCH = """() => {
  const panel = document.getElementById("gate-result");
  new MutationObserver(() => {
    if (!panel.hidden && panel.textContent) {
      window.__bench.shown.push({ t: performance.now(), text: panel.innerText });
    }
  }).observe(panel, { childList: true, subtree: true, attributes: true });
}"""


def make_cards(count: int, seed: int = 17) -> list[dict]:
    rng = random.Random(seed)  # noqa: S311 - made-up cards, the same on every run
    cards, numbers = [], set()
    while len(cards) < count:
        year, woman = rng.randint(1940, 2007), rng.random() < 0.5
        century = (year // 100 - 19) * 2 + (1 if woman else 0)
        number = f"040{century}{year % 100:02d}{rng.randint(0, 999999):06d}"
        if number in numbers:
            continue
        numbers.add(number)
        name = " ".join([rng.choice(FAMILY), "Thị" if woman else rng.choice(MIDDLE),
                         rng.choice(GIVEN)])  # fmt: skip
        born = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{year}"
        old = f"{rng.randint(0, 999999999):09d}" if year < 1990 else ""
        text = "|".join([number, old, name, born, "Nữ" if woman else "Nam", ADDRESS, "12082021"])
        cards.append({"number": number, "name": name, "year": year, "text": text})
    return cards


def masked(name: str) -> str:
    first, *rest = name.split(" ")
    return " ".join([first] + [f"{word[0]}." for word in rest])


def qr_data_url(text: str) -> str:
    import segno

    out = io.BytesIO()
    segno.make(text, error="m", encoding="utf-8").save(out, kind="png", scale=5, border=4)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def prepare(cards: list[dict]) -> tuple[str, int, dict]:
    import django

    common.fresh_database(SQLITE)
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from vaora.core.places import load_current_places
    from vaora.core.roles import Role
    from vaora.people.models import Account, Person
    from vaora.venues.models import Kind, Organisation, Place, Venue

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    load_current_places()
    commune = Place.objects.get(scheme="2025", level="commune", code="16681")
    hospital = Organisation.objects.create(name="Bệnh viện Đa khoa Vinh", kind=Kind.HOSPITAL,
                                           commune=commune)  # fmt: skip
    venue = Venue.objects.create(organisation=hospital, name="Cổng chính", kind=Kind.HOSPITAL,
                                 commune=commune)  # fmt: skip
    for card in cards[:PER_MODE:KNOWN_SHARE]:
        Person.rows.create(name=card["name"], cccd=card["number"])
    staff = Account(username="gate-bench", role=Role.VENUE_STAFF, organisation=hospital)
    staff.set_unusable_password()
    staff.save()
    client = Client()
    client.force_login(staff)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": _get_new_csrf_string()}
    vendor = connection.vendor
    connection.close()
    return vendor, venue.pk, cookies


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "count": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, round(len(ordered) * 0.95) - 1)], 1),
        "max_ms": round(ordered[-1], 1),
        "mean_ms": round(statistics.fmean(ordered), 1),
    }


def shown_after(page, name: str, since: float) -> float:
    match = (
        "([name, since]) => window.__bench.shown.find(s => s.t >= since && s.text.includes(name))"
    )
    page.wait_for_function(match, arg=[name, since], timeout=20000)
    return page.evaluate(f"(arg) => ({match})(arg).t", [name, since])


def server_times(page) -> tuple[list[float], list[float]]:
    """Per scan request: the time Django spent (its Server-Timing header), and the time from
    sending to the first byte back as the browser saw it (Django plus uvicorn's queue, on a
    machine whose two cores the browser shares)."""
    entries = page.evaluate("""() => performance.getEntriesByType("resource")
        .filter(e => /\\/api\\/v1\\/venues\\/\\d+\\/scan$/.test(e.name))
        .map(e => [e.serverTiming.filter(t => t.name === "app").map(t => t.duration)[0],
                   e.responseStart - e.requestStart])""")
    page.evaluate("performance.clearResourceTimings()")
    return [app for app, _ in entries], [first_byte for _, first_byte in entries]


def camera_run(page, cards: list[dict]) -> list[float]:
    page.get_by_role("button", name="Quét bằng camera").click()
    page.wait_for_function("() => document.getElementById('gate-camera').readyState >= 2")
    times = []
    for card in cards:
        drawn = page.evaluate("(url) => window.__benchShow(url)", qr_data_url(card["text"]))
        times.append(shown_after(page, masked(card["name"]), drawn) - drawn)
        page.evaluate("window.__benchBlank()")  # the visitor moves on
        page.wait_for_timeout(150)
    return times


def wedge_run(page, cards: list[dict]) -> tuple[list[float], list[float], list[float]]:
    field = page.locator("#gate-code")
    totals, typing, after_enter = [], [], []
    for card in cards:
        field.focus()
        page.evaluate("window.__bench.firstKey = null; window.__bench.enterKey = null")
        page.keyboard.type(card["text"])
        page.keyboard.press("Enter")
        first, enter = page.evaluate("[window.__bench.firstKey, window.__bench.enterKey]")
        shown = shown_after(page, masked(card["name"]), enter)
        totals.append(shown - first)
        typing.append(enter - first)
        after_enter.append(shown - enter)
    return totals, typing, after_enter


def visits_stored() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM visits_visit")
        return cursor.fetchone()[0]


def browse(port: int, venue_id: int, cookies: dict, cards: list[dict]) -> dict:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(common.ROOT))
    from tests.browser.conftest import FLAGS, chromium_path

    url = f"http://127.0.0.1:{port}"
    camera, online, offline = (cards[i * PER_MODE : (i + 1) * PER_MODE] for i in range(3))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=FLAGS)
        context = browser.new_context(base_url=url, locale="vi-VN",
                                      viewport={"width": 390, "height": 844})  # fmt: skip
        context.add_cookies([{"name": k, "value": v, "url": url} for k, v in cookies.items()])
        context.add_init_script(CAMERA)
        page = context.new_page()
        page.goto(f"/venues/{venue_id}/gate/")
        page.wait_for_function("() => localStorage.getItem('vaora-keys') !== null")
        page.evaluate(WATCH)
        camera_ms = camera_run(page, camera)
        camera_server, camera_first_byte = server_times(page)
        page.reload()  # a gate with a USB scanner: the camera off
        page.wait_for_function("() => localStorage.getItem('vaora-keys') !== null")
        page.evaluate(WATCH)
        wedge_ms, wedge_typing, wedge_after = wedge_run(page, online)
        wedge_server, wedge_first_byte = server_times(page)
        context.set_offline(True)
        offline_ms, _, offline_after = wedge_run(page, offline)
        pending = page.locator("#gate-pending").inner_text()
        context.set_offline(False)
        started = time.perf_counter()
        page.evaluate("window.dispatchEvent(new Event('online'))")
        deadline = time.monotonic() + 60
        while visits_stored() < 3 * PER_MODE and time.monotonic() < deadline:
            time.sleep(0.05)
        synced_s = time.perf_counter() - started
        page.locator("#gate-pending").wait_for(state="hidden")
        browser.close()
    return {
        "camera_card_visible_to_confirmation": summary(camera_ms),
        "camera_server_ms": summary(camera_server),
        "camera_request_to_first_byte_ms": summary(camera_first_byte),
        "wedge_first_key_to_confirmation": summary(wedge_ms),
        "wedge_typing_ms": summary(wedge_typing),
        "wedge_enter_to_confirmation": summary(wedge_after),
        "wedge_server_ms": summary(wedge_server),
        "wedge_request_to_first_byte_ms": summary(wedge_first_byte),
        "offline_first_key_to_saved_on_device": summary(offline_ms),
        "offline_enter_to_saved_on_device": summary(offline_after),
        "offline_pending_shown": pending,
        "offline_sync_seconds_for_50": round(synced_s, 2),
    }


def check_stored(cards: list[dict]) -> dict:
    from vaora.people.models import Person
    from vaora.visits.models import Visit

    people = Person.objects.for_system("benchmark: who the cards named")
    persons = {c["number"]: people.by_cccd(c["number"]).get() for c in cards}
    visits = Visit.objects.for_system("benchmark: what the gate stored")
    matched = sum(1 for c in cards if visits.filter(person=persons[c["number"]]).count() == 1)
    files = (
        [Path(f"{SQLITE}{s}") for s in ("", "-wal")]
        if os.environ["DATABASE_URL"].startswith("sqlite")
        else []
    )
    address = ADDRESS.encode()
    return {"visits": visits.count(), "persons_matched_one_visit_each": matched,
            "names_as_on_card": sum(persons[c["number"]].name == c["name"] for c in cards),
            "birth_years_kept": sum(persons[c["number"]].birth_year == c["year"] for c in cards),
            "address_bytes_in_database_files": sum(f.read_bytes().count(address)
                                                   for f in files if f.exists())}  # fmt: skip


def main() -> None:
    os.environ["VAORA_SERVER_TIMING"] = "1"
    if shutil.which("chromium") is None and not os.environ.get("VAORA_CHROMIUM"):
        sys.exit("Chromium is needed: apt-get install chromium")
    common.configure(SQLITE)
    cards = make_cards(3 * PER_MODE)
    vendor, venue_id, cookies = prepare(cards)
    with common.uvicorn_server() as port:
        measured = browse(port, venue_id, cookies, cards)
    stored = check_stored(cards)
    durability = common.database_settings()
    report = {
        "benchmark": "identity cards at the gate", "database": vendor,
        "database_settings": durability, **common.durability(),
        "server": "uvicorn, 1 process, uvloop + httptools", "browser": "Debian Chromium, headless",
        "machine": common.machine(), "cards_per_mode": PER_MODE,
        "known_persons_among_camera_cards": len(cards[:PER_MODE:KNOWN_SHARE]),
        "targets": {"server_ms_p95": 300, "per_visitor_ms": 1500},
        **measured, "stored": stored,
        "met": {
            "server": max(measured["camera_server_ms"]["p95_ms"],
                          measured["wedge_server_ms"]["p95_ms"]) < 300,
            "per_visitor_camera": measured["camera_card_visible_to_confirmation"]["p95_ms"] < 1500,
            # Playwright types one key per DevTools round trip (~3 ms a character here): the
            # wedge's figure includes that typing, as it would a scanner's.
            "per_visitor_wedge_as_typed_here": (
                measured["wedge_first_key_to_confirmation"]["p95_ms"] < 1500),
        },
        "wedge_typing_note": "Playwright's simulated keyboard, one DevTools call per key; a "
                             "USB scanner types faster. Enter → confirmation is the gate's part.",
    }  # fmt: skip
    target = common.RESULTS / f"cards-{vendor}.json"
    target.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
