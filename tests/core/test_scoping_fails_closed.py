"""The default manager of every model holding personal data refuses to be read unless the query
is scoped — `.visible_to(user)`, `.for_system(reason)`, or reached through an object already
held — so a new view cannot forget the scope and leak (vaora/core/scoped.py)."""

import pathlib
import re

import pytest

from vaora.core.scoped import UnscopedQuery
from vaora.paper.models import PaperUpload
from vaora.people.models import Person
from vaora.tracing.models import Case, Contact, ExposureSite, Notice, NoticeBatch, RevealRequest
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
FAIL_CLOSED = [Visit, Person, PaperUpload, Case, Contact, NoticeBatch, Notice, RevealRequest,
               ExposureSite]  # fmt: skip
APP = pathlib.Path(__file__).resolve().parents[2] / "vaora"


@pytest.mark.parametrize("model", FAIL_CLOSED, ids=lambda m: m.__name__)
@pytest.mark.parametrize("read", ["list", "get", "first", "count", "exists", "update", "delete",
                                  "values_list", "iterator"])  # fmt: skip
def test_it_refuses_every_unscoped_read(model, read, tenant_a):
    query = model.objects.filter(pk__gt=0)
    reads = {
        "list": lambda: list(query), "get": lambda: query.get(pk=1), "first": query.first,
        "count": query.count, "exists": query.exists, "update": lambda: query.update(pk=0),
        "delete": query.delete, "values_list": lambda: list(query.values_list("pk")),
        "iterator": lambda: list(query.iterator()),
    }  # fmt: skip
    with pytest.raises(UnscopedQuery):
        reads[read]()


def test_it_allows_scoped_system_and_related_reads(users, tenant_a, citizen):
    assert list(Person.objects.visible_to(citizen).values_list("pk", flat=True))
    assert Person.objects.for_system("a test reads everything").count() >= 1
    assert citizen.person.dependants.count() == 2  # reached through an object held
    assert Visit.objects.visible_to(users["oversight"]).count() == 0  # officials: none directly
    with pytest.raises(ValueError):
        Visit.objects.for_system("")  # a reason is required


def test_it_keeps_the_escape_hatch_out_of_app_code():
    """`Model.rows` (every row, unscoped) is for Django's own machinery and for tests; the app
    says why with .for_system(reason) instead."""
    found = [f"{p.relative_to(APP)}:{n}" for p in APP.rglob("*.py")
             for n, line in enumerate(p.read_text().splitlines(), 1)
             if re.search(r"\b[A-Z]\w*\.rows\.", line)]  # fmt: skip
    assert found == []
