"""Each oversight official's daily digest lists the venues of their area newly gone silent, once."""

import datetime

import pytest
from freezegun import freeze_time

from tests.conftest import make_account
from tests.oversight.conftest import NOW, scans
from vaora.core.models import SmsMessage
from vaora.core.roles import Role
from vaora.oversight import reminders, rollups

pytestmark = pytest.mark.django_db


DAY = datetime.timedelta(days=1)


@pytest.fixture
def silent(markets):
    """a1 and b1 silent (scanned 10 days ago), a2 and a3 active; a1's manager has a phone."""
    for key in ("a1", "b1"):
        scans(markets[key], NOW - 10 * DAY, 2)
    for key in ("a2", "a3"):
        scans(markets[key], NOW - DAY, 6)
    make_account(Role.ORG_MANAGER, "ql.chovinh", organisation=markets["a1"].organisation,
                 phone="0914000111", email="ql@chovinh.vn")  # fmt: skip
    with freeze_time(NOW):
        rollups.refresh()
    return markets


def test_it_lists_newly_silent_venues_once_in_the_daily_digest(silent, users):
    official = users["oversight"]
    official.phone = "0914000999"
    official.save()
    with freeze_time(NOW + datetime.timedelta(hours=1)):
        assert reminders.send_digests() >= 1
    digest = SmsMessage.objects.filter(purpose="digest").order_by("id")
    bodies = [m.body for m in digest]
    assert any("Chợ Vinh" in b and "Chợ Hưng Dũng" not in b for b in bodies)
    # A day later nothing new went silent: no digest.
    before = digest.count()
    with freeze_time(NOW + 2 * DAY):
        rollups.refresh()
        reminders.send_digests()
    assert SmsMessage.objects.filter(purpose="digest").count() == before
