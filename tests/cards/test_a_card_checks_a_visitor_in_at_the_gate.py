"""At the gate, the QR of a visitor's identity card checks them in (and out) in one scan: the
same person whichever door met them first — a citizen account, an earlier walk-in, a paper
register — one visit whatever the repeats, the masked name and whether they can be reached in
the answer; from the gate's offline queue too; and the address kept nowhere."""

import io
import logging
import uuid

import pytest
from freezegun import freeze_time

from tests.cards.samples import card, scanned
from vaora.paper.importer import import_register
from vaora.people.models import Person
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T02:00:00Z"


def scan(client, venue, text, **extra):
    body = {"client_id": str(uuid.uuid4()), "code": text} | extra
    return client.post(f"/api/v1/venues/{venue.pk}/scan", body, content_type="application/json")


@pytest.fixture
def gate(users, signed_in):
    return signed_in(users["venue_staff"])


@freeze_time(NOW)
def test_it_checks_in_a_new_walk_in_from_the_card_and_keeps_the_minimum(gate, tenant_a):
    answer = scan(gate, tenant_a.venue, scanned(card()))
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["status"], body["name"], body["reachable"]) == ("stored", "Nguyễn V. A.", False)
    person = Person.rows.by_cccd("040090012345").get()
    assert (person.name, person.phone) == ("Nguyễn Văn An", None)
    assert person.birth_year == 1990  # a hospital keeps it; a market would not
    visit = Visit.rows.get()
    assert (visit.person, visit.source, visit.venue) == (person, "assisted", tenant_a.venue)


@freeze_time(NOW)
def test_it_keeps_no_birth_year_where_the_venue_does_not_need_it(gate, tenant_a):
    from vaora.venues.models import Venue

    market = Venue.objects.create(organisation=tenant_a.organisation, name="Chợ Vinh",
                                  kind="market", commune=tenant_a.commune)  # fmt: skip
    assert scan(gate, market, card()).status_code == 200
    assert Person.rows.by_cccd("040090012345").get().birth_year is None


@freeze_time(NOW)
def test_it_finds_the_same_person_whichever_door_met_them_first(gate, tenant_a, citizen):
    citizen.person.cccd = "040090012345"
    citizen.person.save()
    scan(gate, tenant_a.venue, card(name="Lê Văn Công"))
    assert Visit.rows.get().person == citizen.person  # the citizen's own account
    register = ("ho_ten,cccd,gio_vao\nLê Văn Công,040090012345,25/11/2026 07:00\n"
                "Trần Thị Giấy,040190012346,25/11/2026 07:10\n")  # fmt: skip
    import_register(tenant_a.venue, io.BytesIO(register.encode()), "so.csv")
    paper_person = Person.rows.by_cccd("040190012346").get()
    scan(gate, tenant_a.venue, card("040190012346", name="Trần Thị Giấy", sex="Nữ",
                                    born="02021990"))  # fmt: skip
    assert Visit.rows.filter(person=paper_person).count() >= 1
    assert Person.rows.by_cccd("040190012346").count() == 1  # found, not made twice


def test_it_extends_and_checks_out_never_duplicating(gate, tenant_a):
    with freeze_time(NOW) as clock:
        assert scan(gate, tenant_a.venue, card()).json()["status"] == "stored"
        assert scan(gate, tenant_a.venue, card()).json()["status"] == "duplicate"  # same moment
        clock.tick(1800)
        assert scan(gate, tenant_a.venue, card()).json()["status"] == "extended"
        clock.tick(600)
        leave = scan(gate, tenant_a.venue, card(), direction="out").json()
    assert leave["status"] == "stored"
    assert Visit.rows.count() == 1 and Visit.rows.get().left_at is not None


@freeze_time(NOW)
def test_it_adds_a_phone_given_at_the_gate_but_never_replaces_one(gate, tenant_a):
    answer = scan(gate, tenant_a.venue, card(), phone="0912 555 111").json()
    assert answer["reachable"] is True
    person = Person.rows.by_cccd("040090012345").get()
    assert person.phone == "+84912555111"
    scan(gate, tenant_a.venue, card(), phone="0912 555 999")
    person.refresh_from_db()
    assert person.phone == "+84912555111"


@freeze_time(NOW)
def test_it_refuses_what_is_not_a_card_and_stores_nothing(gate, tenant_a):
    for text in (card(name='=HYPERLINK("http://x")'), card(number="099090012345"),
                 card(name="Nguyễn\x00Văn An")):  # fmt: skip
        answer = scan(gate, tenant_a.venue, text)
        assert answer.status_code == 422 and answer.json()["code"].startswith("card_"), text
    assert scan(gate, tenant_a.venue, card(address="x" * 5000)).status_code == 422
    assert not Visit.rows.exists() and not Person.rows.by_cccd("040090012345").exists()


@freeze_time(NOW)
def test_it_takes_the_offline_queues_minimum(gate, tenant_a):
    items = [{"kind": "card", "card": {
        "client_id": str(uuid.uuid4()), "number": "040090012345", "name": "Nguyễn Văn An",
        "birth_year": 1990, "at": "2026-11-25T01:30:00Z"}}]  # fmt: skip
    answer = gate.post(f"/api/v1/venues/{tenant_a.venue.pk}/staff-sync", {"items": items},
                       content_type="application/json").json()  # fmt: skip
    assert answer[0]["status"] == "stored"
    again = gate.post(f"/api/v1/venues/{tenant_a.venue.pk}/staff-sync", {"items": items},
                      content_type="application/json").json()  # fmt: skip
    assert again[0]["status"] == "duplicate"
    items[0]["card"] |= {"client_id": str(uuid.uuid4()), "number": "040090012399",
                         "birth_year": 1985}  # fmt: skip
    wrong = gate.post(f"/api/v1/venues/{tenant_a.venue.pk}/staff-sync", {"items": items},
                      content_type="application/json").json()  # fmt: skip
    assert (wrong[0]["status"], wrong[0]["code"]) == ("rejected", "card_number_invalid")


@freeze_time(NOW)
def test_it_fills_the_hand_entry_form_from_a_card(gate, tenant_a):
    page = gate.post(f"/venues/{tenant_a.venue.pk}/assisted/", {"name": card()})
    assert page.status_code == 200
    person = Person.rows.by_cccd("040090012345").get()
    assert person.name == "Nguyễn Văn An" and Visit.rows.get().person == person


@freeze_time(NOW)
def test_it_keeps_the_address_nowhere(gate, tenant_a, caplog, settings):
    from django.db import connection

    caplog.set_level(logging.DEBUG)
    scan(gate, tenant_a.venue, card())
    gate.post(f"/venues/{tenant_a.venue.pk}/assisted/", {"name": card("040190012346",
              name="Trần Thị Bích", sex="Nữ", born="01011990")})  # fmt: skip
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Nghi Phong" not in logged and "15031990" not in logged
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                sql = (
                    f"SELECT 1 FROM {connection.ops.quote_name(table)} "  # noqa: S608
                    f"WHERE CAST({name} AS TEXT) LIKE %s"
                )
                for value in ("Nghi Phong", "187654321", "12082021", "15031990"):
                    cursor.execute(sql, [f"%{value}%"])
                    if cursor.fetchone():
                        found.append((table, column.name, value))
    assert found == []
