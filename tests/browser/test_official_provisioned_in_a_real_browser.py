"""In Debian's Chromium: a commune official provisioned by the province opens the activation
link, sets a password, signs in with password and authenticator code (enrolling the app), and
sees the commune's statistics as charts and the list of venues to urge."""

import datetime
import re

import pytest
from freezegun import freeze_time

from tests.browser.conftest import require_chromium
from tests.oversight.conftest import make_market, scans
from vaora.core import totp
from vaora.core.models import SmsMessage
from vaora.oversight import accounts, rollups
from vaora.people.models import Account

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "mat-khau-that-dai-2026"


def test_it_lets_an_official_activate_sign_in_with_a_code_and_see_the_charts(
    page, users, tenant_a, live_server
):
    require_chromium()
    # Mid-afternoon in Việt Nam, whenever the suite runs: the busy market's scans of three
    # hours ago fall on "today" for every chart (after midnight they would fall on yesterday).
    clock = freeze_time("2026-11-25T08:00:00Z", tick=True)
    clock.start()
    try:
        _walk(page, users, tenant_a)
    finally:
        clock.stop()


def _walk(page, users, tenant_a):
    now = datetime.datetime.now(datetime.UTC)
    quiet = make_market(tenant_a.commune, "Chợ Im Lặng")
    busy = make_market(tenant_a.commune, "Chợ Đông")
    scans(quiet, now - datetime.timedelta(days=12), 5)
    scans(busy, now - datetime.timedelta(hours=3), 9)
    with freeze_time(now):
        rollups.refresh()
    accounts.create_account(users["provincial_oversight"], accounts.NewAccount(
        username="canbo.thanhvinh", role="oversight", jurisdiction=tenant_a.commune,
        phone="0913444555"))  # fmt: skip
    link = re.search(r"https://vaora\.test(/activate/\S+/)", SmsMessage.objects.get().body)[1]

    page.goto(link)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password_again]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/login/")
    page.fill("input[name=username]", "canbo.thanhvinh")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/login/code/")
    assert page.locator(".qr svg").count() == 1
    secret = page.locator("code.secret").inner_text().strip()
    assert secret == Account.objects.get(username="canbo.thanhvinh").totp_secret
    page.fill("input[name=code]", totp.code_at(secret, totp.step()))
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/home/")

    page.goto("/oversight/stats/")
    assert page.locator("svg.chart").count() >= 6
    assert page.locator("svg.chart rect.chart-bar").count() >= 1
    page.goto("/oversight/venues/?status=silent")
    names = page.locator("table.list td a").all_inner_texts()
    assert names == ["Chợ Im Lặng"]
