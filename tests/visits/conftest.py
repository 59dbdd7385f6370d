import pytest

from tests.visits import doors
from vaora.venues.models import Venue


@pytest.fixture
def world(citizen, users, tenant_a) -> doors.World:
    """The places, the citizen with a dependant and a gate staff account that every door needs
    (tests/visits/doors.py)."""
    market = Venue.objects.create(organisation=tenant_a.organisation, name="Chợ Vinh",
                                  kind="market", commune=tenant_a.commune)  # fmt: skip
    places = doors.Places(tenant_a.venue, tenant_a.zone, market)
    dependant = citizen.person.dependants.order_by("pk").first()
    return doors.World(places, citizen.person, dependant, citizen, users["venue_staff"])


@pytest.fixture
def market(tenant_a) -> Venue:
    """A second venue of tenant A, beside its hospital: a scan here closes a visit there."""
    return Venue.objects.create(organisation=tenant_a.organisation, name="Chợ Vinh",
                                kind="market", commune=tenant_a.commune)  # fmt: skip
