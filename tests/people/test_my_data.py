"""A person sees their visits and declarations, downloads them (JSON, CSV), sees every access to
their data by officials, and can delete their account."""

import json

import pytest

from vaora.core import audit
from vaora.people.models import Account, Person
from vaora.visits import services
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def visited(citizen, tenant_a):
    child = citizen.person.dependants.first()
    services.check_in_family(citizen.person, [child], tenant_a.venue)
    return citizen


def test_it_lists_the_familys_visits_and_who_accessed_them(visited, users, signed_in):
    audit.record(users["health"], "case.trace", purpose="Ca F0 số 12", row_count=3,
                 subject_person_id=visited.person.pk)  # fmt: skip
    page = signed_in(visited).get("/me/data/").content.decode()
    assert "Cổng chính An" in page and "Lê Bé Na" in page
    assert "health-a" in page and "Ca F0 số 12" in page


def test_it_lists_nobody_else_when_only_the_person_acted(visited, signed_in):
    page = signed_in(visited).get("/me/data/").content.decode()
    assert "Chỉ có bạn truy cập dữ liệu của mình." in page or "Nobody but you" in page


def test_it_puts_everything_in_the_json_download_and_the_visits_in_the_csv(visited, signed_in):
    client = signed_in(visited)
    data = json.loads(client.get("/me/data/download.json").content)
    assert data["person"]["phone"] == "+84912000009"
    assert len(data["visits"]) == 2 and {d["name"] for d in data["dependants"]} >= {"Lê Bé Na"}
    csv_text = client.get("/me/data/download.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("nguoi,dia_diem")
    assert csv_text.count("Cổng chính An") == 2


def test_it_never_puts_another_persons_data_in_my_download(visited, tenant_b, signed_in):
    services.check_in(tenant_b.person, tenant_b.venue)
    data = signed_in(visited).get("/me/data/download.json").content.decode()
    assert "Cổng chính Bình" not in data and "Bình" not in data


def test_it_removes_person_family_and_visits_with_the_account(visited, signed_in):
    person_id = visited.person.pk
    client = signed_in(visited)
    assert client.post("/me/delete/", {}).url == "/me/data/"  # not confirmed: nothing happens
    assert Person.rows.filter(pk=person_id).exists()
    response = client.post("/me/delete/", {"confirm": "yes"})
    assert response.status_code == 302
    assert not Person.rows.filter(pk=person_id).exists()
    assert not Person.rows.filter(guardian_id=person_id).exists()
    assert not Visit.rows.exists() and not Account.objects.filter(pk=visited.pk).exists()
    assert client.get("/me/").status_code == 302
