import pytest

from tests.conftest import make_account
from vaora.people.models import Consent, Person
from vaora.people.services import CONSENT_VERSION


@pytest.fixture
def citizen(tenant_a):
    """A signed-up citizen (profile and consent done) with two dependants."""
    person = tenant_a.person
    Consent.objects.create(person=person, version=CONSENT_VERSION)
    account = make_account("citizen", "citizen-visits", person=person)
    Person.objects.create(name="Nguyễn Bé Na", birth_year=2019, guardian=person)
    Person.objects.create(name="Nguyễn Văn Ông", birth_year=1940, guardian=person)
    return account
