"""Name, phone and CCCD are AES-GCM ciphertext in the database, bound to their column, and
decryptable after a key rotation."""

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.test import override_settings

from vaora.core import crypto
from vaora.people.models import Person

pytestmark = pytest.mark.django_db


def raw_columns(person_id: int) -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone, cccd FROM people_person WHERE id = %s", [person_id])
        return cursor.fetchone()


def test_it_stores_ciphertext_not_plaintext(places):
    person = Person.rows.create(name="Lê Văn Hùng", phone="0912345678", cccd="040080012345")
    name, phone, cccd = raw_columns(person.pk)
    for stored, plain in [(name, "Hùng"), (phone, "912345678"), (cccd, "040080012345")]:
        assert stored.startswith("v1.")
        assert plain not in stored


def test_it_uses_a_fresh_nonce_for_every_write(places):
    first = Person.rows.create(name="Lê Văn Hùng", phone="0912345678")
    second = Person.rows.create(name="Lê Văn Hùng", phone="0912345678")
    assert raw_columns(first.pk)[1] != raw_columns(second.pk)[1]
    assert first.phone_index == second.phone_index


def test_it_refuses_a_ciphertext_moved_to_another_column(places):
    person = Person.rows.create(name="Lê Văn Hùng", phone="0912345678")
    phone_ciphertext = raw_columns(person.pk)[1]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(phone_ciphertext, "people.Person.name")


def test_it_refuses_equality_lookups_on_encrypted_columns(places):
    with pytest.raises(FieldError, match="blind index"):
        list(Person.rows.filter(phone="+84912345678"))


def test_it_still_reads_old_data_after_the_key_rotates(places, settings):
    person = Person.rows.create(name="Lê Văn Hùng", phone="0912345678")
    old_key = settings.VAORA_DATA_KEY
    with override_settings(VAORA_DATA_KEY=b"n" * 32, VAORA_OLD_DATA_KEYS=(old_key,)):
        assert Person.rows.get(pk=person.pk).phone == "+84912345678"
    with override_settings(VAORA_DATA_KEY=b"n" * 32, VAORA_OLD_DATA_KEYS=()):
        with pytest.raises(crypto.DecryptionError, match="no configured data key"):
            Person.rows.get(pk=person.pk)
