"""`vaora venues import` and the upload page: register hundreds of venues or vehicles from a
spreadsheet. Every row is checked on its own; good rows are stored even when others are bad;
bad rows come back with their line numbers and reasons; a row whose venue already exists (same
name in the organisation) adds nothing, so importing the same file twice is harmless."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from vaora.core import audit
from vaora.core.errors import VaoraError
from vaora.core.models import Place
from vaora.core.tabular import UnreadableFile, header_key, read_rows
from vaora.venues.models import (
    MAX_STAY_MINUTES,
    Kind,
    Organisation,
    Venue,
    assign_codes,
)
from vaora.venues.services import _require_manager

BATCH = 500
ALIASES = {
    **dict.fromkeys(["ten", "ten_dia_diem", "ten_diem", "venue", "name"], "name"),
    **dict.fromkeys(["loai", "loai_hinh", "loai_dia_diem", "type", "kind"], "kind"),
    **dict.fromkeys(["dia_chi", "address"], "address"),
    **dict.fromkeys(["xa", "phuong", "xa_phuong", "ma_xa", "ward", "commune"], "commune"),
    **dict.fromkeys(["suc_chua", "capacity"], "capacity"),
    **dict.fromkeys(["thoi_gian_luu", "thoi_gian_luu_phut", "stay_minutes",
                     "default_stay_minutes"], "default_stay_minutes"),
    **dict.fromkeys(["vi_do", "lat", "latitude"], "latitude"),
    **dict.fromkeys(["kinh_do", "lng", "lon", "longitude"], "longitude"),
    **dict.fromkeys(["bien_so", "bien_kiem_soat", "plate", "plate_number"], "plate_number"),
    **dict.fromkeys(["tuyen", "tuyen_duong", "route"], "route"),
    **dict.fromkeys(["nha_xe", "don_vi_van_tai", "operator", "operator_name"], "operator_name"),
}  # fmt: skip
KIND_SYNONYMS = {
    "co_quan": Kind.AGENCY, "van_phong": Kind.AGENCY, "nha_may": Kind.FACTORY,
    "xi_nghiep": Kind.FACTORY, "cong_ty": Kind.FACTORY, "truong": Kind.SCHOOL,
    "truong_hoc": Kind.SCHOOL, "dai_hoc": Kind.UNIVERSITY, "cao_dang": Kind.UNIVERSITY,
    "benh_vien": Kind.HOSPITAL, "phong_kham": Kind.CLINIC, "tram_y_te": Kind.CLINIC,
    "cho": Kind.MARKET, "cua_hang": Kind.SHOP, "sieu_thi": Kind.SHOP, "nha_hang": Kind.RESTAURANT,
    "quan_an": Kind.RESTAURANT, "chua": Kind.PLACE_OF_WORSHIP, "nha_tho": Kind.PLACE_OF_WORSHIP,
    "ben_xe": Kind.BUS_STATION, "truong_lai_xe": Kind.DRIVING_SCHOOL, "xe": Kind.VEHICLE,
    "xe_khach": Kind.VEHICLE, "xe_buyt": Kind.VEHICLE, "phuong_tien": Kind.VEHICLE,
    "khac": Kind.OTHER,
}  # fmt: skip
COMMUNE_PREFIXES = ("phuong_", "xa_", "dac_khu_")


class RowError(Exception):
    def __init__(self, field_name: str, code: str, vi: str, en: str):
        super().__init__(code)
        self.field, self.code, self.vi, self.en = field_name, code, vi, en

    def as_dict(self, line: int) -> dict:
        return {"line": line, "field": self.field, "code": self.code,
                "message_vi": self.vi, "message_en": self.en}  # fmt: skip


@dataclass
class ImportReport:
    total_rows: int = 0
    created: int = 0
    unchanged: int = 0
    rejected: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"total_rows": self.total_rows, "created": self.created,
                "unchanged": self.unchanged, "rejected": self.rejected}  # fmt: skip


def too_large() -> VaoraError:
    return VaoraError(
        "file_too_large", "Tệp quá lớn (tối đa 5 MB). Hãy chia nhỏ tệp.",
        "The file is too large (5 MB at most). Please split it.", 413,
    )  # fmt: skip


def _kinds() -> dict[str, str]:
    table = {header_key(value): value for value in Kind.values} | dict(KIND_SYNONYMS)
    for language in ("vi", "en"):
        with translation.override(language):
            table |= {header_key(str(label)): value for value, label in Kind.choices}
    return table


class Places:
    """Communes by code and by name (within one province) and kinds by any spelling, loaded
    once per import."""

    def __init__(self, province_code: str):
        communes = Place.objects.filter(scheme=Place.Scheme.CURRENT, level=Place.Level.COMMUNE)
        self.by_code = {p.code: p for p in communes}
        self.by_name: dict[str, list[Place]] = {}
        for place in communes.filter(province_code=province_code):
            key = header_key(place.name)
            for short in [key, *(key[len(p) :] for p in COMMUNE_PREFIXES if key.startswith(p))]:
                self.by_name.setdefault(short, []).append(place)
        self.kinds = _kinds()


class Lookups(Places):
    """What venue row checks need."""

    def __init__(self, organisation: Organisation):
        super().__init__(organisation.province_code)
        self.existing_names = set(organisation.venues.values_list("name", flat=True))


def each_row(raw, filename: str, aliases: dict, report: ImportReport, handle) -> None:
    """Calls `handle(values, line)` for each row; a RowError it raises becomes a line of the
    report and the import goes on. A file that turns unreadable half-way keeps what was read."""
    try:
        for row in read_rows(raw, filename, aliases):
            report.total_rows += 1
            try:
                handle(row.values, row.line)
            except RowError as error:
                report.rejected.append(error.as_dict(row.line))
    except UnreadableFile:
        if report.total_rows == 0:
            raise
        unreadable = RowError("", "unreadable_rest", "Phần còn lại của tệp không đọc được",
                              "The rest of the file could not be read")  # fmt: skip
        report.rejected.append(unreadable.as_dict(None))


def _integer(values, name, low, high, label_vi, label_en):
    raw = values.get(name, "").replace(".", "").replace(",", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise RowError(name, "invalid_number", f"{label_vi} phải là số từ {low} đến {high}",
                       f"{label_en} must be a whole number from {low} to {high}")  # fmt: skip
    return int(raw)


def _coordinate(values, name, limit):
    raw = values.get(name, "").replace(",", ".").strip()
    if not raw:
        return None
    try:
        number = Decimal(raw).quantize(Decimal("0.000001"))
    except InvalidOperation:
        number = None
    if number is None or not -limit <= number <= limit:
        raise RowError(name, "invalid_coordinate", f"Tọa độ {raw!r} không hợp lệ",
                       f"Coordinate {raw!r} is not valid")  # fmt: skip
    return number


def commune_of(values, lookups: Places) -> Place:
    raw = values.get("commune", "").strip()
    if not raw:
        raise RowError("commune", "missing_commune", "Thiếu xã/phường", "Commune/ward is missing")
    if raw.isdigit():
        place = lookups.by_code.get(raw.zfill(5))
        if place is None:
            raise RowError("commune", "unknown_commune", f"Không có xã/phường mã {raw}",
                           f"No commune or ward has code {raw}")  # fmt: skip
        return place
    matches = lookups.by_name.get(header_key(raw), [])
    if len(matches) != 1:
        reason = (
            ("trùng tên, hãy ghi mã xã", "ambiguous, give the code")
            if matches
            else ("không tìm thấy trong tỉnh", "not found in the province")
        )
        raise RowError("commune", "unknown_commune", f"Xã/phường {raw!r}: {reason[0]}",
                       f"Commune/ward {raw!r}: {reason[1]}")  # fmt: skip
    return matches[0]


def _model_checks(venue: Venue) -> None:
    """The model's own rules (plate format, coordinates in pairs), in both languages."""
    try:
        venue.clean()
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        texts = {}
        for language in ("vi", "en"):
            with translation.override(language):
                try:
                    venue.clean()
                except ValidationError as again:
                    texts[language] = str(again.message_dict[name][0])
        raise RowError(name, "invalid_value", texts["vi"], texts["en"]) from None


def parse_row(values: dict[str, str], organisation: Organisation, lookups: Lookups) -> Venue:
    name = " ".join(values.get("name", "").split())
    if not name:
        raise RowError("name", "missing_name", "Thiếu tên địa điểm", "The venue name is missing")
    if len(name) > 200:
        raise RowError("name", "name_too_long", "Tên dài quá 200 ký tự", "Name over 200 characters")
    kind = lookups.kinds.get(header_key(values.get("kind", "")))
    if kind is None:
        raise RowError("kind", "unknown_kind", f"Loại hình {values.get('kind', '')!r} không rõ",
                       f"Unknown kind {values.get('kind', '')!r}")  # fmt: skip
    venue = Venue(
        organisation=organisation, name=name, kind=kind,
        address=values.get("address", "")[:300], commune=commune_of(values, lookups),
        capacity=_integer(values, "capacity", 0, 1_000_000, "Sức chứa", "Capacity"),
        default_stay_minutes=_integer(values, "default_stay_minutes", 1, MAX_STAY_MINUTES,
                                      "Thời gian lưu", "Stay minutes"),
        latitude=_coordinate(values, "latitude", 90),
        longitude=_coordinate(values, "longitude", 180),
        plate_number=values.get("plate_number", ""), route=values.get("route", "")[:200],
        operator_name=values.get("operator_name", "")[:200],
    )  # fmt: skip
    _model_checks(venue)
    venue.apply_kind_defaults()
    return venue


def _store(batch: list[Venue]) -> None:
    with transaction.atomic():
        assign_codes(batch)
        Venue.objects.bulk_create(batch)


def import_venues(user, organisation: Organisation, raw, filename: str) -> ImportReport:
    """Imports venues into one organisation the user manages; see the module docstring."""
    _require_manager(user, organisation)
    report = ImportReport()
    lookups = Lookups(organisation)
    seen_in_file: dict[str, int] = {}
    batch: list[Venue] = []

    def handle(values: dict, line: int) -> None:
        nonlocal batch
        venue = parse_row(values, organisation, lookups)
        if venue.name in lookups.existing_names:
            report.unchanged += 1
            return
        if venue.name in seen_in_file:
            first = seen_in_file[venue.name]
            raise RowError("name", "duplicate_in_file", f"Trùng tên với dòng {first}",
                           f"Same name as line {first}")  # fmt: skip
        seen_in_file[venue.name] = line
        batch.append(venue)
        if len(batch) >= BATCH:
            _store(batch)
            report.created += len(batch)
            batch = []

    each_row(raw, filename, ALIASES, report, handle)
    if batch:
        _store(batch)
        report.created += len(batch)
    counts = {"rejected": len(report.rejected), "unchanged": report.unchanged}
    audit.record(user, "venue.import", target=organisation, row_count=report.created,
                 details=counts)  # fmt: skip
    return report
