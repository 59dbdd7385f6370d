"""Fixtures shared by the whole suite: places, two tenants (communes A and B), one user of each
role in tenant A, and helpers to sign them in."""

import datetime
import uuid
from dataclasses import dataclass

import pytest

from vaora.core.models import Place
from vaora.core.places import load_current_places
from vaora.core.roles import Role
from vaora.people.models import Account, Person
from vaora.venues.models import Kind, Organisation, Venue, Zone, ZoneKind
from vaora.visits import rules

COMMUNE_A = "16681"  # Phường Thành Vinh, Nghệ An
COMMUNE_B = "16690"  # Phường Trường Vinh, Nghệ An


@pytest.fixture
def places(db):
    """The current administrative units, loaded once per database state."""
    if not Place.objects.filter(code="40", level=Place.Level.PROVINCE).exists():
        load_current_places()
    return Place.objects


def commune(code: str) -> Place:
    return Place.objects.get(scheme=Place.Scheme.CURRENT, level=Place.Level.COMMUNE, code=code)


@dataclass
class Tenant:
    """Everything that belongs to one commune: an organisation, a venue, a resident."""

    commune: Place
    organisation: Organisation
    venue: Venue
    zone: Zone
    person: Person


def make_tenant(place: Place, label: str, phone: str) -> Tenant:
    organisation = Organisation.objects.create(
        name=f"Bệnh viện {label}", kind=Kind.HOSPITAL, commune=place
    )
    venue = Venue.objects.create(
        organisation=organisation, name=f"Cổng chính {label}", kind=Kind.HOSPITAL, commune=place
    )
    zone = Zone.objects.create(venue=venue, name="Khoa Nhi", kind=ZoneKind.WARD)
    person = Person.rows.create(name=f"Nguyễn Văn {label}", phone=phone, home_commune=place)
    return Tenant(place, organisation, venue, zone, person)


@pytest.fixture
def tenant_a(places) -> Tenant:
    return make_tenant(commune(COMMUNE_A), "An", "0912000001")


@pytest.fixture
def tenant_b(places) -> Tenant:
    return make_tenant(commune(COMMUNE_B), "Bình", "0912000002")


def make_account(role: str, username: str | None = None, password: str | None = None, **scope):
    account = Account(username=username or f"{role}-{Account.objects.count()}", role=role, **scope)
    if password:
        account.set_password(password)
    else:
        account.set_unusable_password()  # tests sign in with force_login: no slow hashing
    account.save()
    return account


def engine_place(venue: Venue) -> rules.Place:
    """A venue as the check-in engine sees a scan's place: no zone, a one-hour stay."""
    return rules.Place(venue.pk, None, venue.province_code, datetime.timedelta(hours=1))


def make_visit(person, venue, entered, length, zone=None, source="self_scan"):
    """A visit as a scan stores it (tracing tests build their own histories): `length` is a
    timedelta from entry to the visit's end."""
    from vaora.visits.models import Visit

    return Visit.rows.create(
        person=person, venue=venue, zone=zone, province_code=venue.province_code,
        entered_at=entered, ends_at=entered + length, source=source, client_id=uuid.uuid4(),
        scanned_at=entered, received_at=entered,
    )  # fmt: skip


@pytest.fixture
def users(tenant_a):
    """One account of every role, scoped to tenant A (commune A / organisation A)."""
    province = tenant_a.commune.parent
    return {
        Role.CITIZEN: make_account(Role.CITIZEN, "citizen-a", person=tenant_a.person),
        Role.VENUE_STAFF: make_account(
            Role.VENUE_STAFF, "staff-a", organisation=tenant_a.organisation
        ),
        Role.ORG_MANAGER: make_account(
            Role.ORG_MANAGER, "manager-a", organisation=tenant_a.organisation
        ),
        Role.OVERSIGHT: make_account(Role.OVERSIGHT, "oversight-a", jurisdiction=tenant_a.commune),
        Role.HEALTH: make_account(Role.HEALTH, "health-a", jurisdiction=tenant_a.commune),
        Role.HELPER: make_account(Role.HELPER, "helper-a", jurisdiction=tenant_a.commune),
        "provincial_oversight": make_account(
            Role.OVERSIGHT, "oversight-province", jurisdiction=province
        ),
        Role.ADMIN: make_account(Role.ADMIN, "admin", is_superuser=True),
    }


@pytest.fixture
def signed_in(client):
    """signed_in(account) → the test client, signed in as that account."""

    def sign_in(account):
        client.force_login(account)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def fresh_signing_keys():
    """Each test's database starts without keys; the in-process key cache must not outlive it."""
    from vaora.core import signing

    signing.clear_cache()
    yield
    signing.clear_cache()


@pytest.fixture
def citizen(tenant_a):
    """A signed-up citizen of commune A (profile and consent done) with two dependants."""
    from vaora.people.models import Consent
    from vaora.people.services import CONSENT_VERSION

    person = Person.rows.create(name="Lê Văn Công", phone="0912000009", birth_year=1980,
                                   home_commune=tenant_a.commune)  # fmt: skip
    Consent.objects.create(person=person, version=CONSENT_VERSION)
    account = make_account("citizen", "citizen-lvc", person=person)
    Person.rows.create(name="Lê Bé Na", birth_year=2019, guardian=person)
    Person.rows.create(name="Lê Văn Ông", birth_year=1940, guardian=person)
    return account


@pytest.fixture(scope="session", autouse=True)
def _urls_loaded_outside_frozen_time():
    """Load the URLconf (and the API schemas in it) with the real datetime class: a first import
    inside freeze_time would hand pydantic freezegun's FakeDatetime."""
    import vaora.urls  # noqa: F401


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and at the end of the session no connection left to it
    from threads that outlive their tests — the fast path's writer keeps its own for the life
    of the process, by design — so that PostgreSQL lets the database be dropped ("being
    accessed by other users" otherwise)."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    others = ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
              "WHERE datname = current_database() AND pid <> pg_backend_pid()")  # fmt: skip
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(others)


@dataclass
class SectorWorld:
    """Two sectors of the province and what they hold: the education department (schools and
    universities, by kind) and an industrial park's board (a group it keeps), with their
    accounts; beside them, a school in each commune, one factory in the park and one outside."""

    education: object
    board_sector: object
    park: object
    school_a: Venue
    school_b: Venue
    factory_in: Venue
    factory_out: Venue
    education_account: Account
    board_account: Account


def make_venue(place: Place, name: str, kind: str, registry_code: str = "") -> Venue:
    organisation = Organisation.objects.create(name=name, kind=kind, commune=place,
                                               registry_code=registry_code)  # fmt: skip
    return Venue.objects.create(organisation=organisation, name=f"Cổng {name}", kind=kind,
                                commune=place)  # fmt: skip


@pytest.fixture
def sectors(tenant_a, tenant_b):
    import datetime as _datetime

    from vaora.venues.models import GroupMembership, OrganisationGroup, Sector

    education, _ = Sector.objects.get_or_create(
        code="giao-duc", defaults={"name_vi": "Sở Giáo dục và Đào tạo",
                                   "name_en": "Department of Education and Training",
                                   "kinds": ["school", "university"]})  # fmt: skip
    board_sector, _ = Sector.objects.get_or_create(
        code="khu-kinh-te",
        defaults={"name_vi": "Ban Quản lý Khu kinh tế",
                  "name_en": "Economic Zone Management Board", "kinds": []})  # fmt: skip
    park = OrganisationGroup.objects.create(code="kcn-bac-vinh", name="KCN Bắc Vinh",
                                            category="industrial_park")  # fmt: skip
    board_sector.groups.add(park)
    factory_in = make_venue(tenant_a.commune, "Công ty May Bắc Vinh", Kind.FACTORY, "2900000001")
    factory_out = make_venue(tenant_a.commune, "Công ty Gỗ Hưng Lộc", Kind.FACTORY, "2900000002")
    GroupMembership.objects.create(group=park, organisation=factory_in.organisation,
                                   since=_datetime.date(2026, 1, 1))  # fmt: skip
    province = tenant_a.commune.parent
    return SectorWorld(
        education, board_sector, park,
        make_venue(tenant_a.commune, "Trường THCS Đặng Thai Mai", Kind.SCHOOL, "2900000003"),
        make_venue(tenant_b.commune, "Trường Tiểu học Hưng Dũng", Kind.SCHOOL, "2900000004"),
        factory_in, factory_out,
        make_account(Role.OVERSIGHT, "so-giao-duc", jurisdiction=province, sector=education),
        make_account(Role.OVERSIGHT, "bql-kkt", jurisdiction=province, sector=board_sector),
    )  # fmt: skip
