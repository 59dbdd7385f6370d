"""`vaora trace --phone P` traces someone known only from a paper register (no account, no home
commune): the case belongs to the installation's province, and the register's visits are traced
like any other."""

import io
import json

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from vaora.paper.importer import import_register
from vaora.people.models import Person
from vaora.tracing.models import Case

pytestmark = pytest.mark.django_db
REGISTER = (
    "ho_ten,so_dien_thoai,gio_vao,gio_ra\n"
    "Đặng Thị Giấy,0987000111,24/11/2026 08:00,24/11/2026 10:00\n"
    "Hồ Văn Bên,0987000222,24/11/2026 09:00,24/11/2026 09:40\n"
)


@freeze_time("2026-11-25T03:00:00Z")
def test_it_traces_a_phone_known_only_from_a_paper_register(tenant_a):
    report, _ = import_register(tenant_a.venue, io.BytesIO(REGISTER.encode()), "so.csv")
    assert report.stored == 2
    paper_person = Person.rows.by_phone("0987000111").get()
    assert paper_person.home_commune is None
    out = io.StringIO()
    call_command("trace", "--phone", "0987000111", "--purpose", "Ca F0 từ sổ giấy, theo CDC",
                 "--from", "2026-11-23", "--to", "2026-11-25", "--json", stdout=out)  # fmt: skip
    traced = json.loads(out.getvalue())
    neighbour = Person.rows.by_phone("0987000222").get()
    assert [c["person_id"] for c in traced["contacts"]] == [neighbour.pk]
    assert traced["contacts"][0]["overlap_minutes"] == 40
    case = Case.rows.get(pk=traced["case"])
    assert case.person_id == paper_person.pk
    assert (case.place.level, case.place.code) == ("province", "40")
