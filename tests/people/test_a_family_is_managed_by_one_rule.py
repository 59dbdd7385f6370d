"""Adding and removing family members: the page and the API share one limit and one set of
checks (people.services), and each change is in the audit log."""

import pytest

from vaora.core.models import AuditEvent
from vaora.people.models import Person
from vaora.people.services import MAX_DEPENDANTS

pytestmark = pytest.mark.django_db


def fill_family(citizen, up_to: int) -> None:
    for n in range(citizen.person.dependants.count(), up_to):
        Person.rows.create(name=f"Con {n}", birth_year=2015, guardian=citizen.person)


def test_it_refuses_the_same_extra_member_on_the_page_and_the_api(citizen, signed_in):
    fill_family(citizen, MAX_DEPENDANTS)
    client = signed_in(citizen)
    page = client.post("/me/family/", {"name": "Con thêm", "birth_year": "2016"})
    api = client.post("/api/v1/me/dependants", {"name": "Con thêm", "birth_year": 2016},
                      content_type="application/json")  # fmt: skip
    assert page.status_code == 200 and f"Tối đa {MAX_DEPENDANTS}" in page.content.decode()
    assert (api.status_code, api.json()["code"]) == (422, "too_many_dependants")
    assert citizen.person.dependants.count() == MAX_DEPENDANTS


def test_it_audits_adding_and_removing_a_member(citizen, signed_in):
    client = signed_in(citizen)
    added = client.post("/api/v1/me/dependants", {"name": "  lê   bé  hoa ", "birth_year": 2020},
                        content_type="application/json").json()  # fmt: skip
    assert AuditEvent.objects.filter(action="citizen.dependant_added",
                                     subject_person_id=added["id"]).exists()  # fmt: skip
    assert client.post(f"/me/family/{added['id']}/remove/").status_code == 302
    assert not Person.rows.filter(pk=added["id"]).exists()
    assert AuditEvent.objects.filter(action="citizen.dependant_removed",
                                     subject_person_id=added["id"]).exists()  # fmt: skip


def test_it_answers_404_for_someone_elses_family_member(citizen, tenant_b, signed_in):
    stranger_child = Person.rows.create(name="Con người khác", birth_year=2018,
                                           guardian=tenant_b.person)  # fmt: skip
    answer = signed_in(citizen).post(f"/me/family/{stranger_child.pk}/remove/")
    assert answer.status_code == 404
    assert Person.rows.filter(pk=stranger_child.pk).exists()
