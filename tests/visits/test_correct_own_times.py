"""A person may correct their own visit's times within limits — on the page and through the
API — and never another person's."""

import datetime

import pytest
from freezegun import freeze_time

from vaora.core.models import AuditEvent
from vaora.visits import services

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 11, 25, 1, 0, tzinfo=datetime.UTC)  # 08:00 in Việt Nam


@pytest.fixture
def visit(citizen, tenant_a):
    with freeze_time(T0):
        return services.check_in(citizen.person, tenant_a.venue).visit


@freeze_time(T0 + datetime.timedelta(hours=6))
def test_it_corrects_times_in_local_time_on_the_page(visit, citizen, signed_in):
    client = signed_in(citizen)
    page = client.get(f"/me/visits/{visit.pk}/correct/").content.decode()
    assert "2026-11-25T08:00" in page
    # Entered 08:00, ends automatically 12:00 (hospital): both moved by under two hours.
    times = {"entered_at": "2026-11-25T07:45", "left_at": "2026-11-25T10:30"}
    response = client.post(f"/me/visits/{visit.pk}/correct/", times)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.entered_at == T0 - datetime.timedelta(minutes=15) and visit.corrected
    assert AuditEvent.objects.filter(action="visit.correct").exists()


@freeze_time(T0 + datetime.timedelta(hours=6))
def test_it_refuses_a_correction_beyond_the_limits_on_the_page(visit, citizen, signed_in):
    response = signed_in(citizen).post(f"/me/visits/{visit.pk}/correct/",
                                       {"entered_at": "2026-11-25T03:00",
                                        "left_at": "2026-11-25T09:00"})  # fmt: skip
    assert response.status_code == 200 and "2 giờ" in response.content.decode()
    visit.refresh_from_db()
    assert not visit.corrected


@freeze_time(T0 + datetime.timedelta(hours=6))
def test_it_corrects_through_the_api_and_refuses_someone_elses_visit(
    visit, citizen, tenant_b, signed_in
):
    client = signed_in(citizen)
    body = {"entered_at": "2026-11-25T00:50:00Z", "left_at": "2026-11-25T04:00:00Z"}
    answer = client.patch(f"/api/v1/me/visits/{visit.pk}", body, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["corrected"] is True
    other = services.check_in(tenant_b.person, tenant_b.venue).visit
    refused = client.patch(f"/api/v1/me/visits/{other.pk}", body, content_type="application/json")
    assert refused.status_code == 404
    assert client.get(f"/me/visits/{other.pk}/correct/").status_code == 404
