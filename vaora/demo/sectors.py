"""The demo's sector axis: an industrial park (the economic-zone board's group) of up to 2,000
enterprises, and — with the demo logins — the education department's and the board's
accounts, so both axes of oversight can be tried and benchmarked."""

import datetime

from django.db import transaction
from django.utils import timezone

from vaora.core.models import Place
from vaora.core.roles import Role
from vaora.venues.models import GroupMembership, Kind, Organisation, OrganisationGroup, Sector

PARK_SIZE = 2000
ENTERPRISES = (Kind.FACTORY, Kind.AGENCY, Kind.SHOP, Kind.RESTAURANT, Kind.OTHER)
BOARD = ("khu-kinh-te", "Ban Quản lý Khu kinh tế", "Economic Zone Management Board")
EDUCATION = ("giao-duc", "Sở Giáo dục và Đào tạo", "Department of Education and Training")


def _sector(code: str, name_vi: str, name_en: str, kinds: list[str]) -> Sector:
    return Sector.objects.get_or_create(code=code, defaults={"name_vi": name_vi,
                                        "name_en": name_en, "kinds": kinds})[0]  # fmt: skip


@transaction.atomic
def ensure_park(seed: int) -> OrganisationGroup:
    """The park "KCN Bắc Vinh (demo)": the first 2,000 demo enterprises, members since long
    before the demo's first visit."""
    board = _sector(*BOARD, [])
    category = OrganisationGroup.Category.INDUSTRIAL_PARK
    park, _ = OrganisationGroup.objects.get_or_create(
        code="kcn-demo", defaults={"name": "KCN Bắc Vinh (demo)", "category": category}
    )
    board.groups.add(park)
    inside = set(GroupMembership.objects.filter(group=park, until__isnull=True)
                 .values_list("organisation_id", flat=True))  # fmt: skip
    wanted = (Organisation.objects.filter(registry_code__startswith=f"DEMO-{seed}-",
                                          kind__in=ENTERPRISES)
              .order_by("id").values_list("id", flat=True)[:PARK_SIZE])  # fmt: skip
    since = timezone.localdate() - datetime.timedelta(days=400)
    GroupMembership.objects.bulk_create(
        [GroupMembership(group=park, organisation_id=pk, since=since)
         for pk in wanted if pk not in inside], batch_size=2000,
    )  # fmt: skip
    return park


def sector_logins(province: Place) -> list[tuple]:
    """(user name, role, scope, label) of the demo's sector accounts."""
    education = _sector(*EDUCATION, [Kind.SCHOOL, Kind.UNIVERSITY])
    board = _sector(*BOARD, [])
    return [
        ("so.gddt", Role.OVERSIGHT, {"jurisdiction": province, "sector": education},
         "Sở GD&ĐT Nghệ An — các trường toàn tỉnh"),
        ("bql.kkt", Role.OVERSIGHT, {"jurisdiction": province, "sector": board},
         "Ban Quản lý Khu kinh tế — doanh nghiệp KCN"),
    ]  # fmt: skip
