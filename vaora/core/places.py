"""Loading administrative units from the `vietnam-provinces` package (GSO codes, 2025 data)."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from vietnam_provinces import Province, Ward

from vaora.core.models import Place
from vaora.core.vietnamese import order_text

NGHE_AN = "40"  # the demo's province


def installation_province_code() -> str:
    """The province this installation serves (VAORA_PROVINCE_CODE): the one place it is read."""
    return settings.VAORA_PROVINCE_CODE


def installation_province() -> Place | None:
    return Place.objects.filter(scheme=Place.Scheme.CURRENT, level=Place.Level.PROVINCE,
                                code=installation_province_code()).first()  # fmt: skip


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _code(value, width: int) -> str:
    return str(int(value)).zfill(width)


def _upsert(report: LoadReport, existing: dict, wanted: list[Place]) -> None:
    to_create, to_update = [], []
    for place in wanted:
        current = existing.get(place.path)
        if current is None:
            to_create.append(place)
        elif (current.name, current.division_type) != (place.name, place.division_type):
            current.name, current.division_type = place.name, place.division_type
            current.name_order = order_text(place.name)  # bulk_update skips the field's pre_save
            to_update.append(current)
        else:
            report.unchanged += 1
    Place.objects.bulk_create(to_create, batch_size=1000)
    Place.objects.bulk_update(to_update, ["name", "name_order", "division_type"],
                              batch_size=1000)  # fmt: skip
    report.created += len(to_create)
    report.updated += len(to_update)


@transaction.atomic
def load_current_places() -> LoadReport:
    """Creates or updates the 34 provinces and 3,321 communes/wards. Idempotent: a second run
    changes nothing; a newer package version updates names in place (codes are stable)."""
    report = LoadReport()
    scheme = Place.Scheme.CURRENT
    existing = {p.path: p for p in Place.objects.filter(scheme=scheme)}
    provinces = [
        Place(
            code=_code(p.code, 2),
            name=p.name,
            division_type=p.division_type.value,
            level=Place.Level.PROVINCE,
            scheme=scheme,
            province_code=_code(p.code, 2),
            path=Place.make_path(scheme, [_code(p.code, 2)]),
        )
        for p in Province.iter_all()
    ]
    _upsert(report, existing, provinces)
    parents = {p.code: p for p in Place.objects.filter(scheme=scheme, level=Place.Level.PROVINCE)}
    communes = []
    for ward in Ward.iter_all():
        province = parents[_code(ward.province_code, 2)]
        code = _code(ward.code, 5)
        communes.append(
            Place(
                code=code,
                name=ward.name,
                division_type=ward.division_type.value,
                level=Place.Level.COMMUNE,
                scheme=scheme,
                parent=province,
                province_code=province.code,
                path=Place.make_path(scheme, [province.code, code]),
            )
        )
    _upsert(report, existing, communes)
    return report
