"""Data-key rotation: with the new key in VAORA_DATA_KEY and the old one in VAORA_OLD_DATA_KEYS,
`vaora rotate-data-key` seals every personal value again and rebuilds the blind indexes, in
batches; stopped half-way it goes on where it stopped; lookups by phone and CCCD (and a paper
register's matching) work before, during and after; afterwards the old key can go."""

import io
import os

import pytest
from django.core.management import CommandError, call_command

from vaora.core import rotation, sms
from vaora.core.models import KeyRotation, SmsMessage
from vaora.paper import importer
from vaora.people.models import Person

pytestmark = pytest.mark.django_db
NEW_KEY = os.urandom(32)


@pytest.fixture
def people(tenant_a):
    return [Person.rows.create(name=f"Người Số {i}", phone=f"09120000{i:02d}",
                               cccd=f"0010860123{i:02d}") for i in range(25)]  # fmt: skip


@pytest.fixture
def rotated_keys(settings, people):
    sms.send("+84912000003", "vaora: mã 123456", "otp")
    settings.VAORA_OLD_DATA_KEYS = (settings.VAORA_DATA_KEY,)
    settings.VAORA_DATA_KEY = NEW_KEY
    return settings


def found(person) -> bool:
    by_phone = Person.rows.by_phone(person.phone).filter(pk=person.pk).exists()
    by_cccd = Person.rows.by_cccd(person.cccd).filter(pk=person.pk).exists()
    return by_phone and by_cccd


def test_it_rotates_in_resumable_batches_and_lookups_never_fail(rotated_keys, people):
    assert all(found(p) for p in people)  # before: found by the old key's indexes
    assert rotation.remaining()["people.Person"] >= 25
    reports = []

    def stop_half_way(label, done, total):
        reports.append((label, done, total))
        if label == "people.Person" and done >= 10:
            raise KeyboardInterrupt  # the operator's Ctrl+C, a reboot

    with pytest.raises(KeyboardInterrupt):
        rotation.rotate(batch_size=10, report=stop_half_way)
    assert KeyRotation.objects.get(label="people.Person").rows_done == 10
    assert all(found(p) for p in people)  # during: the rotated and the not yet rotated
    rotation.rotate(batch_size=10, report=lambda *a: reports.append(a))
    assert ("people.Person", 20, reports[-1][2]) in reports  # it went on from 10
    assert set(rotation.remaining().values()) == {0}
    rotated_keys.VAORA_OLD_DATA_KEYS = ()  # the old key is gone
    assert all(found(p) for p in people)  # after: the indexes are the new key's
    assert Person.rows.get(pk=people[7].pk).name == "Người Số 7"  # decrypts with the new key
    assert sms.last_message_to("+84912000003").body == "vaora: mã 123456"


def test_a_paper_register_matches_people_not_yet_rotated(rotated_keys, people, tenant_a):
    before = Person.rows.count()
    body = "Họ tên,Số điện thoại,CCCD,Giờ vào\nNgười Số 5,0912000005,,24/11/2026 08:30\n"
    report, _ = importer.import_register(tenant_a.venue, io.BytesIO(body.encode()), "so.csv",
                                         now=SmsMessage.objects.get().created_at)  # fmt: skip
    assert report.stored + report.rejected == 1
    assert Person.rows.count() == before  # the same person, not a copy under the new index


def test_the_command_reports_progress_and_says_when_the_old_key_may_go(rotated_keys):
    out = io.StringIO()
    call_command("rotate_data_key", "--batch-size", "20", stdout=out)
    text = out.getvalue()
    assert "people.Person: 20/" in text and "VAORA_OLD_DATA_KEYS may be emptied" in text


def test_it_refuses_to_start_without_an_old_key(people):
    with pytest.raises(CommandError, match="VAORA_OLD_DATA_KEYS"):
        call_command("rotate_data_key")
