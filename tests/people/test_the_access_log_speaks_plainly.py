"""A citizen's "who accessed my data" says each access in words, not codes like
case.timeline_read, and one official reading the same thing for the same purpose many times
within a few minutes is one line with a count."""

import datetime

import pytest
from freezegun import freeze_time

from vaora.core import audit

pytestmark = pytest.mark.django_db


def test_it_names_actions_in_words_and_groups_repeats(citizen, users, signed_in):
    official = users["health"]
    with freeze_time("2026-11-25 09:00:00") as clock:
        for _ in range(15):
            audit.record(official, "case.timeline_read", purpose="Ca F0 #12",
                         subject_person_id=citizen.person.pk)  # fmt: skip
            clock.tick(datetime.timedelta(seconds=4))
        clock.tick(datetime.timedelta(hours=2))
        audit.record(official, "case.timeline_read", purpose="Ca F0 #12",
                     subject_person_id=citizen.person.pk)  # fmt: skip
        audit.record(official, "person.read", purpose="Gọi điện",
                     subject_person_id=citizen.person.pk)  # fmt: skip
    page = signed_in(citizen).get("/me/data/").content.decode()
    table = page.split("</table>", 1)[0]
    assert "case.timeline_read" not in table and "person.read" not in table
    assert table.count("Xem những nơi bạn đã đến (ca bệnh)") == 2  # 15 at 9:00, 1 two hours on
    assert "15 lần từ 16:00" in table  # 09:00 UTC is 16:00 in Viet Nam
    assert table.count("Xem thông tin của bạn") == 1
