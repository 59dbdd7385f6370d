"""Compliance monitoring: which venues really scan, read from the activity rows the rollup job
computes, and which organisations that must register have not."""

from django.db.models import Count, Exists, OuterRef

from vaora.core import audit
from vaora.core.errors import NotFound, VaoraError
from vaora.core.models import Place
from vaora.core.places import installation_province_code
from vaora.core.roles import Role
from vaora.core.scoping import place_in_area, places_in_area, role_of, sector_of
from vaora.core.tabular import header_key
from vaora.oversight.models import RequiredOrganisation, RollupState, VenueActivity
from vaora.oversight.stats import shown, suppress
from vaora.venues.importer import ImportReport, Places, RowError, commune_of, each_row
from vaora.venues.models import Kind, Organisation, Venue

OVERSEERS = frozenset({Role.OVERSIGHT, Role.ADMIN})
SORTS = {
    "name": ("venue__name_order", "venue_id"), "-scans_7d": ("-scans_7d", "venue_id"),
    "scans_7d": ("scans_7d", "venue_id"), "-scans_30d": ("-scans_30d", "venue_id"),
    "last_scan": ("last_scan_at", "venue_id"), "-last_scan": ("-last_scan_at", "venue_id"),
    "-hand_entered": ("-hand_entered_share", "venue_id"),
    "-paper_delay": ("-paper_delay_hours", "venue_id"),
    "commune": ("commune__name_order", "venue_id"),
}  # fmt: skip


def require_overseer(user) -> None:
    """Oversight pages are for oversight officials (and administrators); others get 403."""
    if role_of(user) not in OVERSEERS:
        raise VaoraError(
            "not_an_overseer", "Chức năng này dành cho cán bộ giám sát.",
            "This is for oversight officials.", 403,
        )  # fmt: skip


def scope_commune(user, commune_id: int | None) -> Place | None:
    """The commune a list is narrowed to, checked against the user's jurisdiction: a commune
    outside it is "not found", as if it did not exist."""
    require_overseer(user)
    if not commune_id:
        return None
    commune = Place.objects.filter(pk=commune_id, level=Place.Level.COMMUNE).first()
    if commune is None or not place_in_area(user, commune):
        raise NotFound()
    return commune


def communes_for(user):
    """The communes a user may pick in filters."""
    return places_in_area(user).filter(level=Place.Level.COMMUNE)


def venue_activity(user, *, commune: Place | None = None, kind: str = "", status: str = "",
                   outlier: str = "", sort: str = "name"):  # fmt: skip
    require_overseer(user)
    rows = VenueActivity.objects.visible_to(user).select_related("venue__organisation", "commune")
    if commune is not None:
        rows = rows.filter(commune=commune)
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if outlier:
        rows = rows.filter(outlier=outlier)
    return rows.order_by(*SORTS.get(sort, SORTS["name"]))


def venue_table(rows) -> tuple[list[str], list[list]]:
    """The compliance list as a download: header and rows, counts of 1–4 suppressed ("<5")
    like on every page."""
    header = ["Địa điểm / Venue", "Đơn vị / Organisation", "Xã / Commune", "Loại / Kind",
              "Trạng thái / Status", "Hôm nay / Today", "7 ngày / 7 days", "30 ngày / 30 days",
              "Lần quét cuối / Last scan", "Sổ giấy + hỗ trợ / Hand-entered",
              "Trễ tải sổ (giờ) / Upload delay (h)", "Kỳ vọng 7 ngày / Expected 7 days",
              "Bất thường / Outlier", "Áp phích / Posters"]  # fmt: skip
    table = []
    for row in rows.iterator(chunk_size=2000):
        table.append([
            row.venue.name, row.venue.organisation.name, row.commune.name, row.kind,
            row.status, *(shown(suppress(n)) for n in (row.scans_today, row.scans_7d,
                                                        row.scans_30d)),
            row.last_scan_at.isoformat() if row.last_scan_at else "",
            "" if row.hand_entered_share is None else f"{row.hand_entered_share:.0%}",
            "" if row.paper_delay_hours is None else f"{row.paper_delay_hours:.1f}",
            "" if row.expected_7d is None else f"{row.expected_7d:.0f}", row.outlier,
            row.venue.posters_issued,
        ])  # fmt: skip
    return header, table


def status_counts(rows) -> dict[str, int]:
    return dict(rows.order_by().values_list("status").annotate(n=Count("venue_id")))


def last_refresh():
    state = RollupState.objects.filter(name="visits").first()
    return state.finished_at if state else None


def not_registered(user, commune: Place | None = None):
    """Required organisations without a registered organisation that has at least one venue."""
    require_overseer(user)
    registered = Organisation.objects.filter(
        registry_code=OuterRef("registry_code"),
    ).filter(Exists(Venue.objects.filter(organisation=OuterRef("pk"))))
    rows = RequiredOrganisation.objects.visible_to(user)
    if commune is not None:
        rows = rows.filter(commune=commune)
    return rows.annotate(registered=Exists(registered)).select_related("commune")


def record_list_read(user, what: str, rows: int) -> None:
    audit.record(user, f"oversight.{what}", row_count=rows)


REQUIRED_ALIASES = {
    **dict.fromkeys(["ma_so_thue", "mst", "ma_so_doanh_nghiep", "ma_dn", "registry_code",
                     "tax_code", "ma"], "registry_code"),
    **dict.fromkeys(["ten", "ten_doanh_nghiep", "ten_to_chuc", "ten_co_so", "name"], "name"),
    **dict.fromkeys(["loai", "loai_hinh", "nganh", "kind", "type"], "kind"),
    **dict.fromkeys(["xa", "phuong", "xa_phuong", "ma_xa", "ward", "commune"], "commune"),
}  # fmt: skip


def import_required(user, raw, filename: str) -> ImportReport:
    """Loads the organisations required to register (e.g. a business-registry extract; a
    department's list of schools, a board's list of enterprises). A row is keyed by its
    registry code within its list — the territory's, or the uploader's sector's: loading a
    newer extract updates names and communes. Rows outside the user's jurisdiction are
    refused, line by line."""
    require_overseer(user)
    province = (user.jurisdiction.province_code if user.jurisdiction_id
                else installation_province_code())  # fmt: skip
    places = Places(province)
    report = ImportReport()
    sector = sector_of(user)
    existing = set(RequiredOrganisation.objects.filter(sector=sector)
                   .values_list("registry_code", flat=True))  # fmt: skip
    seen: dict[str, int] = {}

    def handle(values: dict, line: int) -> None:
        code = "".join(values.get("registry_code", "").split()).upper()
        if not code or len(code) > 20:
            raise RowError("registry_code", "missing_registry_code",
                           "Thiếu mã số thuế (hoặc dài quá 20 ký tự)",
                           "The registry (tax) code is missing or over 20 characters")  # fmt: skip
        if code in seen:
            raise RowError("registry_code", "duplicate_in_file", f"Trùng mã với dòng {seen[code]}",
                           f"Same code as line {seen[code]}")  # fmt: skip
        name = " ".join(values.get("name", "").split())[:200]
        if not name:
            raise RowError("name", "missing_name", "Thiếu tên", "The name is missing")
        commune = commune_of(values, places)
        if not place_in_area(user, commune):
            raise RowError("commune", "outside_jurisdiction", "Xã/phường ngoài địa bàn của bạn",
                           "The commune is outside your jurisdiction")  # fmt: skip
        kind = places.kinds.get(header_key(values.get("kind", "")), "")
        seen[code] = line
        RequiredOrganisation.objects.update_or_create(
            registry_code=code,
            sector=sector,
            defaults={"name": name, "kind": kind, "commune": commune, "loaded_by": user},
        )
        if code in existing:
            report.unchanged += 1
        else:
            report.created += 1

    each_row(raw, filename, REQUIRED_ALIASES, report, handle)
    audit.record(user, "oversight.required_import", row_count=report.created + report.unchanged,
                 details={"rejected": len(report.rejected)})  # fmt: skip
    return report
