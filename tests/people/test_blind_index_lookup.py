"""A person is found by phone (any spelling) or CCCD through the keyed blind index."""

import pytest

from vaora.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def lan(places):
    return Person.rows.create(
        name="Trần Thị Lan", phone="0987 654 321", cccd="040190001234", birth_year=1990
    )


@pytest.mark.parametrize(
    "spelling", ["0987654321", "+84 987 654 321", "84987654321", "0987.654.321", "987654321"]
)
def test_it_finds_the_person_by_any_phone_spelling(lan, spelling):
    assert list(Person.rows.by_phone(spelling)) == [lan]


def test_it_finds_the_person_by_cccd(lan):
    assert Person.rows.by_cccd("040 190 001 234").get() == lan


def test_it_finds_nobody_for_another_number(lan):
    assert not Person.rows.by_phone("0987654322").exists()


def test_it_stores_the_normalised_values_encrypted_and_reads_them_back(lan):
    fresh = Person.rows.get(pk=lan.pk)
    assert fresh.phone == "+84987654321"
    assert fresh.cccd == "040190001234"
    assert fresh.name == "Trần Thị Lan"


def test_it_refuses_a_second_person_with_the_same_cccd(lan):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Person.rows.create(name="Someone Else", cccd="040190001234")
