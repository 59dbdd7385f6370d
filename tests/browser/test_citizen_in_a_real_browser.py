"""In Debian's Chromium: open a poster URL, sign up with the outbox code, check in a person and
a dependant, check out; then, with the network cut, check in and out on the phone and see the
server hold exactly one visit with the original times once the network returns."""

import re
import time

import pytest
from django.utils import timezone

from vaora.core import sms
from vaora.people.models import Person
from vaora.venues import tokens
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)
PHONE, E164 = "0977 888 999", "+84977888999"


def sign_up(page, poster: str, commune_pk: int) -> Person:
    page.goto(poster)
    page.get_by_role("link", name="Đăng nhập để khai báo").click()
    page.get_by_label("Số điện thoại").fill(PHONE)
    page.get_by_role("button", name="Gửi mã").click()
    code = re.search(r"\d{6}", sms.last_message_to(E164).body).group()
    page.get_by_label("Mã trong tin nhắn SMS").fill(code)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Họ và tên").fill("Đinh Thị Lụa")
    page.get_by_label("Năm sinh").fill("1988")
    page.get_by_label("Xã, phường").select_option(str(commune_pk))
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("button", name="Tôi đồng ý").click()
    page.wait_for_url(f"**{poster}")
    return Person.rows.by_phone(E164).get()


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_it_signs_up_checks_in_with_a_dependant_and_checks_out(page, tenant_a):
    poster = "/V/" + tokens.token_for(tenant_a.venue)
    me = sign_up(page, poster, tenant_a.commune.pk)
    Person.rows.create(name="Đinh Bé Mai", birth_year=2018, guardian=me)
    page.goto(poster)
    page.get_by_label("Đinh Bé Mai").check()
    page.get_by_role("button", name="Khai báo VÀO").click()
    page.wait_for_url("**/me/visits/")
    assert page.get_by_text("Đinh Bé Mai").first.is_visible()
    assert Visit.rows.filter(venue=tenant_a.venue).count() == 2
    remembered = page.evaluate("JSON.parse(localStorage.getItem('vaora-history'))")
    assert [v["venue_id"] for v in remembered] == [tenant_a.venue.pk]  # for the self-check
    page.get_by_role("button", name="Khai báo RA").first.click()
    assert wait_for(lambda: Visit.rows.filter(left_at__isnull=False).count() == 1)
    page.wait_for_function("JSON.parse(localStorage.getItem('vaora-history'))[0].left_at")


def test_it_delivers_offline_check_in_and_out_exactly_once_with_the_original_times(page, tenant_a):
    poster = "/V/" + tokens.token_for(tenant_a.venue)
    sign_up(page, poster, tenant_a.commune.pk)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker, with the shell cached
    page.context.set_offline(True)
    page.goto(poster)  # the network is dead: the cached offline page answers
    assert page.get_by_role("heading", name="Khai báo khi không có mạng").is_visible()
    assert page.locator("#offline-venue").inner_text() == tenant_a.venue.name  # where, offline
    scanned = timezone.now()
    page.get_by_role("button", name="Khai báo VÀO").click()
    page.get_by_text("Đã lưu trên điện thoại").first.wait_for()
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Khai báo RA").click()
    page.wait_for_timeout(1500)
    left = timezone.now()
    assert not Visit.rows.exists()  # nothing reached the server
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    assert wait_for(lambda: Visit.rows.filter(left_at__isnull=False).exists())
    page.get_by_text("Đã gửi: những gì lưu trên điện thoại đã đến vaora.").wait_for()
    page.evaluate("window.vaoraQueue.flush()")  # a second send of anything left: no duplicate
    time.sleep(0.5)
    visit = Visit.rows.get()
    assert abs((visit.entered_at - scanned).total_seconds()) < 5
    assert scanned < visit.left_at <= left
    assert visit.received_at > visit.left_at


def test_it_needs_one_scan_with_auto_check_in(page, tenant_a, citizen, live_server):
    from django.conf import settings
    from django.test import Client

    citizen.auto_checkin = True
    citizen.save()
    client = Client()
    client.force_login(citizen)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url, "value": session}]
    )
    page.goto("/V/" + tokens.token_for(tenant_a.venue))
    page.wait_for_url("**/me/visits/")
    assert Visit.rows.filter(person=citizen.person, venue=tenant_a.venue).count() == 1
