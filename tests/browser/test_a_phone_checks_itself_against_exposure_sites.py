"""Self-check without an account, as the NHS and Corona-Warn apps did but with no app: a
visitor who is not signed in remembers a visit on the phone at the poster; later the
self-check page fetches the public list of exposure sites and compares on the phone. The
server receives nothing about the visit: no request but the public list, which is the same for
everyone."""

import datetime
from urllib.parse import parse_qs

import pytest
from django.utils import timezone

from tests.browser.conftest import FLAGS, require_chromium
from vaora.tracing.models import ExposureSite
from vaora.venues import tokens

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_finds_a_remembered_visit_at_a_published_site_on_the_phone(tenant_a, live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require_chromium(), args=FLAGS)
        context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                      viewport={"width": 360, "height": 640})  # fmt: skip
        page = context.new_page()
        page.goto("/V/" + tokens.token_for(tenant_a.venue))
        page.get_by_role("button", name="Chỉ ghi nhớ lượt đến này trên điện thoại").click()
        page.get_by_text("Đã ghi nhớ trên điện thoại này").wait_for()
        page.goto("/self-check/")
        page.get_by_text("Không có lượt nào trong 1 lượt").wait_for()
        now = timezone.now()
        ExposureSite.rows.create(venue=tenant_a.venue, starts_at=now - datetime.timedelta(hours=1),
                                 ends_at=now + datetime.timedelta(hours=1),
                                 advice_vi="Theo dõi sức khỏe 14 ngày.")  # fmt: skip
        sent = []
        page.on("request", lambda r: sent.append((r.method, r.url)))
        page.reload()
        page.get_by_text("ghi nhớ lượt đến một địa điểm phơi nhiễm").wait_for()
        assert tenant_a.venue.name in page.inner_text("#self-check-result")
        api = [(m, u) for m, u in sent if "/api/" in u]
        assert api and all(m == "GET" and "/api/v1/exposure-sites?" in u for m, u in api)
        # The phone asks for the whole list, page by page: nothing in the query names a venue.
        asked = [set(parse_qs(u.split("?", 1)[1])) for _m, u in api]
        assert all(names <= {"limit", "offset"} for names in asked), asked
        page.get_by_role("button", name="Xóa các lượt đến điện thoại này ghi nhớ").click()
        page.get_by_text("chưa ghi nhớ lượt đến nào").wait_for()
        browser.close()
