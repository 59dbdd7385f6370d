"""Generators behind `vaora demo`: places, organisations and venues, people, one user per role."""

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from vaora.core.crypto import blind_index
from vaora.core.models import Place
from vaora.core.places import NGHE_AN, load_current_places
from vaora.core.roles import Role
from vaora.demo import vocabulary as voc
from vaora.demo.sectors import sector_logins
from vaora.venues.models import Kind, Organisation, Venue, assign_codes

DEMO_PASSWORD = "vaora-demo-2026"  # noqa: S105 - development only; printed by `vaora demo`
CHUNK = 5000
ROUTES = ["Vinh – Hà Nội", "Vinh – Đà Nẵng", "Vinh – Cửa Lò", "Vinh – Quế Phong", "Vinh – Đô Lương"]
# Bijection of 0..10^7-1 (7919 is prime, so coprime with 10^7): distinct indexes, distinct numbers.
PHONE_SPACE = 10**7
PHONE_STEP = 7919


@dataclass
class DemoReport:
    organisations_created: int = 0
    venues_created: int = 0
    people_created: int = 0
    dependants_created: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def rng_for(seed: int, *key) -> random.Random:
    """An independent, reproducible random stream per record: (seed, kind, index)."""
    return random.Random(":".join(str(k) for k in (seed, *key)))  # noqa: S311 - demo data


def nghe_an_communes() -> list[Place]:
    if not Place.objects.filter(scheme=Place.Scheme.CURRENT, code=NGHE_AN).exists():
        load_current_places()
    communes = Place.objects.filter(
        scheme=Place.Scheme.CURRENT, level=Place.Level.COMMUNE, province_code=NGHE_AN
    )
    return list(communes.order_by("code"))


# --- organisations and venues ---------------------------------------------------------------


def _kind_for(index: int, rng: random.Random) -> str:
    kinds = list(voc.KIND_WEIGHTS)
    if index < len(kinds):  # the first organisations cover every kind once
        return kinds[index]
    return rng.choices(kinds, weights=list(voc.KIND_WEIGHTS.values()))[0]


def _organisation_plan(seed: int, index: int, communes: list[Place]):
    rng = rng_for(seed, "organisation", index)
    kind = _kind_for(index, rng)
    commune = communes[0] if index < len(voc.KIND_WEIGHTS) else rng.choice(communes)
    pattern, venue_names = voc.ORGANISATION_TEMPLATES[kind]
    tag = rng.choice(voc.TAGS)
    organisation = Organisation(
        name=pattern.format(place=commune.name, tag=tag),
        kind=kind,
        registry_code=f"DEMO-{seed}-{index:06d}",
        commune=commune,
        province_code=commune.province_code,
    )
    if kind == Kind.VEHICLE:
        venue_names = venue_names * rng.randint(2, 4)
    venues = []
    for name in venue_names:
        plate = f"{rng.randint(100, 999)}.{rng.randint(10, 99)}"
        venue = Venue(
            name=f"{organisation.name} — {name.format(plate=plate)}"
            if kind != Kind.VEHICLE
            else name.format(plate=plate),
            kind=kind,
            address=f"Số {rng.randint(1, 300)} đường {rng.choice(voc.STREETS)}",
            commune=commune,
            capacity=voc.CAPACITY[kind],
        )
        if kind == Kind.VEHICLE:
            venue.plate_number = f"37B-{plate}"
            venue.route = rng.choice(ROUTES)
            venue.operator_name = organisation.name
        venue.apply_kind_defaults()
        venues.append(venue)
    return organisation, venues


@transaction.atomic
def generate_venues(seed: int, venue_count: int, communes: list[Place], report: DemoReport):
    """Creates organisations (every kind, in Nghệ An) until the demo set has `venue_count`
    venues. Organisations are keyed by registry code DEMO-<seed>-<index>."""
    existing = set(
        Organisation.objects.filter(registry_code__startswith=f"DEMO-{seed}-").values_list(
            "registry_code", flat=True
        )
    )
    planned = 0
    new_orgs, new_venues = [], []
    index = 0
    while planned < venue_count:
        organisation, venues = _organisation_plan(seed, index, communes)
        venues = venues[: venue_count - planned]
        planned += len(venues)
        index += 1
        if organisation.registry_code in existing:
            continue
        new_orgs.append(organisation)
        new_venues.append(venues)
    Organisation.objects.bulk_create(new_orgs, batch_size=1000)
    for organisation, venues in zip(new_orgs, new_venues, strict=True):
        for venue in venues:
            venue.organisation = organisation
    flat = [venue for venues in new_venues for venue in venues]
    assign_codes(flat, rng_for(seed, "short-codes", len(existing)))
    Venue.objects.bulk_create(flat, batch_size=1000)
    report.organisations_created += len(new_orgs)
    report.venues_created += len(flat)


# --- people ---------------------------------------------------------------------------------


def _full_name(rng: random.Random, female: bool) -> str:
    surname = rng.choices([s for s, _ in voc.SURNAMES], weights=[w for _, w in voc.SURNAMES])[0]
    middle = rng.choice(voc.MIDDLE_FEMALE if female else voc.MIDDLE_MALE)
    given = rng.choice(voc.GIVEN_FEMALE if female else voc.GIVEN_MALE)
    return f"{surname} {middle} {given}"


def demo_phone(seed: int, index: int) -> str:
    rng = rng_for(seed, "phone", index)
    number = (index * PHONE_STEP + seed) % PHONE_SPACE
    return f"{rng.choice(voc.MOBILE_PREFIXES)}{number:07d}"


def _cccd(index: int, birth_year: int, female: bool) -> str | None:
    if index >= 10**6:  # the 6-digit serial would repeat; leave very large sets without CCCD
        return None
    century = 0 if birth_year < 2000 else 2
    return f"040{century + int(female)}{birth_year % 100:02d}{index:06d}"


def _person_plan(seed, index, communes, now, days):
    from vaora.people.models import Person

    rng = rng_for(seed, "person", index)
    female = rng.random() < 0.5
    birth_year = now.year - rng.randint(18, 80)
    commune = rng.choice(communes)
    registered = now - datetime.timedelta(seconds=rng.randint(0, days * 86400))
    adult = Person(
        name=_full_name(rng, female),
        phone=demo_phone(seed, index),
        cccd=_cccd(index, birth_year, female) if rng.random() < 0.7 else None,
        birth_year=birth_year,
        home_commune=commune,
        created_at=registered,
    )
    dependants = []
    for _ in range(rng.choices([0, 1, 2], weights=[80, 14, 6])[0]):
        child = rng.random() < 0.6
        dependant_female = rng.random() < 0.5
        age = rng.randint(1, 15) if child else rng.randint(70, 95)
        name = _full_name(rng, dependant_female)
        if child:  # children carry the guardian's surname
            name = adult.name.split()[0] + " " + name.split(" ", 1)[1]
        dependants.append(
            Person(
                name=name,
                birth_year=now.year - age,
                home_commune=commune,
                created_at=registered,
            )
        )
    return adult, dependants


def _chunks(total: int) -> Iterator[range]:
    for start in range(0, total, CHUNK):
        yield range(start, min(start + CHUNK, total))


def generate_people(seed, people_count, days, communes, report: DemoReport, progress=None):
    """Creates `people_count` adults with phones (keyed by phone) and their dependants."""
    from vaora.people.models import Person

    now = timezone.now()
    for indexes in _chunks(people_count):
        plans = [_person_plan(seed, i, communes, now, days) for i in indexes]
        wanted = {blind_index("phone", _e164(adult.phone)): (adult, deps) for adult, deps in plans}
        existing = set(
            Person.objects.for_system("demo data")
            .filter(phone_index__in=list(wanted))
            .values_list("phone_index", flat=True)
        )
        new = [plan for index, plan in wanted.items() if index not in existing]
        with transaction.atomic():
            adults = Person.objects.bulk_create([adult for adult, _ in new], batch_size=1000)
            dependants = []
            for adult, deps in zip(adults, (deps for _, deps in new), strict=True):
                for dependant in deps:
                    dependant.guardian = adult
                    dependants.append(dependant)
            Person.objects.bulk_create(dependants, batch_size=1000)
        report.people_created += len(new)
        report.dependants_created += len(dependants)
        if progress:
            progress(indexes.stop, people_count)


def _e164(national: str) -> str:
    return "+84" + national[1:]


# --- one user of every role ------------------------------------------------------------------


def ensure_role_users(seed: int, communes: list[Place], report: DemoReport) -> None:
    from vaora.people.models import Account, Person

    province = Place.objects.get(scheme=Place.Scheme.CURRENT, level="province", code=NGHE_AN)
    commune = communes[0]
    hospital = Organisation.objects.filter(
        registry_code__startswith=f"DEMO-{seed}-", kind=Kind.HOSPITAL
    ).first()
    citizen_person = Person.objects.for_system("demo data").by_phone(demo_phone(seed, 0)).first()
    wanted = [
        ("admin", Role.ADMIN, {}, "Quản trị hệ thống"),
        ("so.tttt", Role.OVERSIGHT, {"jurisdiction": province}, "Sở TT&TT Nghệ An"),
        ("xa.tttt", Role.OVERSIGHT, {"jurisdiction": commune}, f"UBND {commune.name}"),
        (
            "so.yte",
            Role.HEALTH,
            {"jurisdiction": province, "manages_health_accounts": True},
            "Sở Y tế Nghệ An (CDC) — quản trị tài khoản y tế",
        ),
        ("xa.yte", Role.HEALTH, {"jurisdiction": commune}, f"Trạm Y tế {commune.name}"),
        ("tinhnguyen", Role.HELPER, {"jurisdiction": commune}, f"Đoàn Thanh niên {commune.name}"),
    ]
    wanted += sector_logins(province)
    if hospital is not None:
        wanted += [
            ("quanly", Role.ORG_MANAGER, {"organisation": hospital}, f"Quản lý — {hospital}"),
            ("nhanvien", Role.VENUE_STAFF, {"organisation": hospital}, f"Bảo vệ — {hospital}"),
        ]
    if citizen_person is not None:
        wanted.append(("congdan", Role.CITIZEN, {"person": citizen_person}, "Công dân demo"))
    for username, role, scope, label in wanted:
        account = Account.objects.filter(username=username).first() or Account(username=username)
        account.role, account.display_name, account.is_active = role, label, True
        account.is_superuser = role == Role.ADMIN
        for name, value in scope.items():
            setattr(account, name, value)
        if not account.check_password(DEMO_PASSWORD):
            account.set_password(DEMO_PASSWORD)
        account.save()
        report.logins.append((username, role.label, label))


def ensure_required_list(seed: int, communes: list[Place]) -> None:
    """The "must register" list oversight compares with (as if from the business registry):
    every demo organisation, and a few that never registered."""
    from vaora.oversight.models import RequiredOrganisation

    existing = set(RequiredOrganisation.objects.filter(sector__isnull=True)
                   .values_list("registry_code", flat=True))  # fmt: skip
    rows = [
        RequiredOrganisation(registry_code=code, name=name, kind=kind, commune_id=commune)
        for code, name, kind, commune in Organisation.objects.filter(
            registry_code__startswith=f"DEMO-{seed}-"
        ).values_list("registry_code", "name", "kind", "commune_id")
        if code not in existing
    ]
    for index in range(25):
        code = f"DEMO-{seed}-MISSING-{index:03d}"
        if code not in existing:
            rows.append(RequiredOrganisation(
                registry_code=code, name=f"Cơ sở chưa đăng ký số {index + 1}",
                kind=Kind.SHOP, commune=communes[index % len(communes)],
            ))  # fmt: skip
    RequiredOrganisation.objects.bulk_create(rows, batch_size=2000)
