"""Every main screen of each role, in Debian's Chromium at a cheap phone's 360×640 and a
desktop's 1366×768: axe-core finds no serious or critical accessibility violation, buttons and
fields are at least 44 px tall on the phone, no sentence of the interface is left in English
on the Vietnamese page, and a screenshot of each is kept under var/screenshots/."""

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.browser.conftest import FLAGS, require_chromium
from vaora.core.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)
AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Buttons and fields a thumb must hit (inline links in running text are exempt, as in WCAG).
SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    'button, .button, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select'))
  .filter((e) => e.offsetParent !== null && !e.closest('details:not([open])'))
  .map((e) => [e.outerHTML.slice(0, 80), e.getBoundingClientRect().height])
  .filter(([, h]) => h < 44)"""

AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target).join(" | ")}`);
}"""


CATALOGUE = Path(__file__).resolve().parents[2] / "vaora" / "locale" / "vi" / "LC_MESSAGES"


def english_left() -> set[str]:
    """Interface sentences whose Vietnamese differs: seeing one on a Vietnamese page means a
    string escaped translation (left out of gettext, or the catalogue not compiled)."""
    import polib

    entries = polib.pofile(str(CATALOGUE / "django.po"))
    return {
        e.msgid for e in entries
        if e.msgstr and e.msgstr != e.msgid and " " in e.msgid and len(e.msgid) >= 12
        and "%" not in e.msgid and "{" not in e.msgid
    }  # fmt: skip


def require_axe() -> str:
    if not AXE.exists():
        message = "axe-core not installed: cd tests/browser/axe && npm ci"
        if __import__("os").environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text()


def screens(tenant_a, sectors) -> dict[str, list[str]]:
    venue = tenant_a.venue.pk
    return {
        "anonymous": ["/", "/signin/", "/c/", "/exposure-sites/", "/stats/", "/self-check/"],
        Role.CITIZEN: ["/me/", "/me/qr/", "/me/visits/", "/me/health/", "/me/travel/",
                       "/me/data/", "/me/family/", "/me/profile/"],
        Role.VENUE_STAFF: [f"/venues/{venue}/gate/", f"/venues/{venue}/assisted/",
                           f"/venues/{venue}/occupancy/", f"/venues/{venue}/paper/"],
        Role.ORG_MANAGER: [f"/venues/{venue}/", f"/org/{tenant_a.organisation.pk}/"],
        Role.HELPER: ["/helpers/", "/helpers/people/"],
        Role.OVERSIGHT: ["/oversight/", "/oversight/venues/", "/oversight/stats/",
                         "/oversight/reminders/", "/oversight/accounts/"],
        # an industrial park's board
        "sector": ["/oversight/", "/oversight/venues/", "/oversight/stats/",
                   "/oversight/ranking/", "/oversight/groups/",
                   f"/oversight/groups/{sectors.park.pk}/?find=Công ty"],
        Role.HEALTH: ["/cases/", "/cases/settings/"],
        Role.ADMIN: ["/ops/jobs/"],
    }  # fmt: skip


def session_of(account, settings) -> list[dict]:
    if account is None:
        return []
    client = Client()
    client.force_login(account)
    return [{"name": settings.SESSION_COOKIE_NAME,
             "value": client.cookies[settings.SESSION_COOKIE_NAME].value}]  # fmt: skip


def test_it_passes_axe_with_thumb_sized_targets_on_every_main_screen(
    users, citizen, tenant_a, sectors, live_server, settings
):
    axe = require_axe()
    from playwright.sync_api import sync_playwright

    problems, english = [], english_left()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require_chromium(), args=FLAGS)
        accounts = {**users, Role.CITIZEN: citizen, "sector": sectors.board_account,
                    "anonymous": None}  # fmt: skip
        for role, paths in screens(tenant_a, sectors).items():
            account = accounts[role]
            for width, height in ((360, 640), (1366, 768)):
                size = {"width": width, "height": height}
                context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                              bypass_csp=True, viewport=size)  # fmt: skip
                cookies = session_of(account, settings)
                context.add_cookies([c | {"url": live_server.url} for c in cookies])
                page = context.new_page()
                for path in paths:
                    answer = page.goto(path)
                    where = f"{role} {path} {width}px"
                    if answer.status != 200:
                        problems.append(f"{where}: HTTP {answer.status}")
                        continue
                    SCREENS.mkdir(parents=True, exist_ok=True)
                    name = re.sub(r"[^a-z0-9]+", "-", f"{role}{path}").strip("-")
                    page.screenshot(path=SCREENS / f"{name}-{width}x{height}.png", full_page=True)
                    text = page.inner_text("body")
                    problems += [f"{where}: English left: {e!r}" for e in english if e in text]
                    page.add_script_tag(content=axe)
                    problems += [f"{where}: {v}" for v in page.evaluate(AXE_RUN)]
                    if width == 360:
                        problems += [f"{where}: small target {html!r} {h:.0f}px"
                                     for html, h in page.evaluate(SMALL_TARGETS)]  # fmt: skip
                context.close()
        browser.close()
    assert problems == [], "\n".join(problems)
