"""An exposure site ends no later than now, whichever door publishes it (the API, or the case
page publishing an F0 visit that has not ended yet); only its publisher withdraws it."""

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from tests.conftest import make_account, make_visit
from vaora.core.roles import Role
from vaora.tracing.models import ExposureSite

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 25, 3, 0, tzinfo=datetime.UTC)
H = datetime.timedelta(hours=1)


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


@freeze_time(NOW)
def test_it_clips_a_site_published_through_the_api_to_now(users, signed_in, tenant_a):
    health = signed_in(users[Role.HEALTH])
    answer = post(health, "/api/v1/exposure-sites", {
        "venue_id": tenant_a.venue.pk, "starts_at": (NOW - H).isoformat(),
        "ends_at": (NOW + 5 * H).isoformat()})  # fmt: skip
    assert answer.status_code == 200, answer.json()
    assert ExposureSite.rows.get().ends_at == timezone.now()


@freeze_time(NOW)
def test_it_publishes_a_visit_still_going_up_to_now(users, signed_in, tenant_a, citizen):
    visit = make_visit(citizen.person, tenant_a.venue, NOW - H, 4 * H)
    health = signed_in(users[Role.HEALTH])
    case_id = post(health, "/api/v1/cases", {
        "phone": "0912000009", "test_date": "2026-11-25",
        "purpose": "Ca dương tính hôm nay, công bố địa điểm"}).json()["id"]  # fmt: skip
    url = f"/cases/{case_id}/visits/{visit.pk}/publish/"
    assert health.post(url).status_code == 200 and not ExposureSite.rows.exists()  # asks first
    form = health.get(url).context["form"]
    filled = {name: form[name].value() for name in ("advice_vi", "advice_en")}
    filled |= {
        name: form[name].value().strftime("%Y-%m-%dT%H:%M") for name in ("starts_at", "ends_at")
    }  # the window offered: the visit, up to now
    answer = health.post(url, filled | {"confirmed": "yes"})
    assert answer.status_code == 302
    site = ExposureSite.rows.get()
    assert (site.starts_at, site.ends_at, site.case_id) == (NOW - H, NOW, case_id)
    assert "Đã công bố" in health.get(f"/cases/{case_id}/").content.decode()


@freeze_time(NOW)
def test_it_lets_only_the_publisher_withdraw_a_site(users, signed_in, tenant_a):
    publisher = signed_in(users[Role.HEALTH])
    site = post(publisher, "/api/v1/exposure-sites", {
        "venue_id": tenant_a.venue.pk, "starts_at": (NOW - 2 * H).isoformat(),
        "ends_at": (NOW - H).isoformat()}).json()  # fmt: skip
    colleague = make_account(Role.HEALTH, "health-a2", jurisdiction=tenant_a.commune)
    other = signed_in(colleague)
    assert post(other, f"/api/v1/exposure-sites/{site['id']}/withdraw").status_code == 404
    publisher = signed_in(users[Role.HEALTH])
    assert post(publisher, f"/api/v1/exposure-sites/{site['id']}/withdraw").status_code == 200
    assert post(publisher, f"/api/v1/exposure-sites/{site['id']}/withdraw").status_code == 404
    assert ExposureSite.rows.get().withdrawn_at is not None
