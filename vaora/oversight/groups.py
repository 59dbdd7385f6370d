"""Organisation groups kept by their boards: an industrial park's board adds and removes its
enterprises (by registry code, by search, or from a spreadsheet). Every change is a dated
membership row (who, when) and an audit event; figures follow it from that day on (the day is
recomputed by the next rollup).

Who may see and change a group: a sector account whose sector includes it (the board), an
oversight official whose area holds the group's territory (Sở TT&TT: every group of the
province), and administrators. Anyone else is told it does not exist (404)."""

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from vaora.core import audit
from vaora.core.errors import InvalidFields, NotFound, VaoraError
from vaora.core.models import Place
from vaora.core.scoping import is_admin, places_in_area, sector_of
from vaora.oversight.compliance import require_overseer
from vaora.oversight.rollups import mark_changed
from vaora.venues.importer import ImportReport, RowError, each_row
from vaora.venues.models import GroupMembership, Organisation, OrganisationGroup, Sector

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
MAX_CODES = 1000  # registry codes in one request (a spreadsheet has no such limit)
CANDIDATES = 20
MEMBER_ALIASES = {
    **dict.fromkeys(["ma_so_thue", "mst", "ma_so_doanh_nghiep", "ma_dn", "registry_code",
                     "tax_code", "ma"], "registry_code"),
    **dict.fromkeys(["ten", "ten_doanh_nghiep", "name"], "name"),
}  # fmt: skip


def groups_for(user):
    require_overseer(user)
    rows = OrganisationGroup.objects.select_related("territory")
    if is_admin(user):
        return rows
    sector = sector_of(user)
    if sector is not None:
        return rows.filter(sectors=sector)
    inside = Q(territory__path__startswith=user.jurisdiction.path)
    if user.jurisdiction.level == Place.Level.PROVINCE:
        inside |= Q(territory__isnull=True)
    return rows.filter(inside)


def get_group(user, group_id: int) -> OrganisationGroup:
    found = groups_for(user).filter(pk=group_id).first()
    if found is None:
        raise NotFound("nhóm đơn vị", "group")
    return found


def may_create(user) -> bool:
    """Sở TT&TT (a provincial oversight official without a sector) and administrators."""
    if is_admin(user):
        return True
    return (sector_of(user) is None and user.jurisdiction_id is not None
            and user.jurisdiction.level == Place.Level.PROVINCE)  # fmt: skip


@transaction.atomic
def create_group(user, *, code: str, name: str, category: str, territory: Place | None = None,
                 sector: Sector | None = None) -> OrganisationGroup:  # fmt: skip
    require_overseer(user)
    if not may_create(user):
        raise VaoraError("province_only", "Chỉ Sở TT&TT hoặc quản trị viên tạo được nhóm.",
                         "Only the provincial office or an administrator creates groups.",
                         403)  # fmt: skip
    code, name = (code or "").strip().lower(), " ".join((name or "").split())
    bad = {}
    if not CODE.match(code):
        bad["code"] = ["2–40 chữ thường, số, gạch / 2–40 lower-case letters, digits, dashes"]
    elif OrganisationGroup.objects.filter(code=code).exists():
        bad["code"] = ["Mã nhóm đã có / This code is taken"]
    if not name or len(name) > 200:
        bad["name"] = ["Cần tên, tối đa 200 ký tự / A name is needed, 200 characters at most"]
    if category not in OrganisationGroup.Category.values:
        bad["category"] = ["Loại nhóm không hợp lệ / Not a group category"]
    if territory is not None and not places_in_area(user).filter(pk=territory.pk).exists():
        bad["territory"] = ["Ngoài địa bàn của bạn / Outside your jurisdiction"]
    if bad:
        raise InvalidFields(bad)
    group = OrganisationGroup.objects.create(code=code, name=name, category=category,
                                             territory=territory)  # fmt: skip
    if sector is not None:
        sector.groups.add(group)
    audit.record(user, "group.create", target=group,
                 details={"sector": sector.code if sector else ""})  # fmt: skip
    return group


def members(group: OrganisationGroup, query: str = ""):
    """The organisations in the group today, by name."""
    rows = (GroupMembership.objects.filter(group=group, until__isnull=True)
            .select_related("organisation__commune", "added_by"))  # fmt: skip
    query = " ".join((query or "").split())
    if query:
        rows = rows.filter(Q(organisation__name__icontains=query)
                           | Q(organisation__registry_code__iexact=query))  # fmt: skip
    return rows.order_by("organisation__name_order", "organisation_id")


def history(group: OrganisationGroup):
    """Every membership, newest change first: the group's audit trail."""
    return (GroupMembership.objects.filter(group=group)
            .select_related("organisation", "added_by", "removed_by")
            .order_by("-id"))  # fmt: skip


def _registry(user, group: OrganisationGroup):
    """Organisations a group's keeper may add: those in the group's territory that are also in
    the keeper's own area (names and registry codes are public; no person is shown)."""
    rows = Organisation.objects.all()  # organisations hold no personal data (decision 0013)
    if group.territory_id is not None:
        rows = rows.filter(commune__path__startswith=group.territory.path)
    if not is_admin(user):
        rows = rows.filter(commune__path__startswith=user.jurisdiction.path)
    return rows


def candidates(user, group: OrganisationGroup, query: str):
    """Up to 20 organisations matching a name or registry code, not yet in the group."""
    query = " ".join((query or "").split())
    if len(query) < 2:
        return Organisation.objects.none()
    inside = GroupMembership.objects.filter(group=group, until__isnull=True)
    return (_registry(user, group).filter(Q(name__icontains=query)
                                          | Q(registry_code__iexact=query))
            .exclude(pk__in=inside.values("organisation_id"))
            .select_related("commune").order_by("name_order", "id")[:CANDIDATES])  # fmt: skip


@dataclass
class Added:
    added: int = 0
    already: int = 0
    unknown: list[str] | None = None


def _add(user, group: OrganisationGroup, organisation: Organisation) -> bool:
    """One organisation into the group from today; False when it already is."""
    if GroupMembership.objects.filter(group=group, organisation=organisation,
                                      until__isnull=True).exists():  # fmt: skip
        return False
    try:
        with transaction.atomic():
            GroupMembership.objects.create(group=group, organisation=organisation,
                                           since=timezone.localdate(), added_by=user)  # fmt: skip
    except IntegrityError:  # added at the same moment by another keeper
        return False
    audit.record(user, "group.member_added", target=group,
                 details={"organisation": organisation.pk})  # fmt: skip
    return True


def _normalise_code(raw: str) -> str:
    return "".join(str(raw or "").split()).upper()


@transaction.atomic
def add_members(user, group_id: int, *, registry_codes=(), organisation_ids=()) -> Added:
    """Adds organisations by registry code or id; codes no organisation in reach has come back
    as `unknown` (the others are added all the same)."""
    group = get_group(user, group_id)
    codes = [c for c in dict.fromkeys(_normalise_code(c) for c in registry_codes) if c]
    if len(codes) + len(organisation_ids) > MAX_CODES:
        raise VaoraError("too_many", f"Tối đa {MAX_CODES} đơn vị mỗi lần; hãy tải tệp lên.",
                         f"At most {MAX_CODES} organisations at a time; upload a file.",
                         422)  # fmt: skip
    reach = _registry(user, group)
    found = {o.registry_code: o for o in reach.filter(registry_code__in=codes)}
    chosen = list(found.values()) + list(reach.filter(pk__in=list(organisation_ids)))
    if len(chosen) - len(found) < len(set(organisation_ids)):
        raise NotFound("đơn vị", "organisation")
    result = Added(unknown=[c for c in codes if c not in found])
    for organisation in chosen:
        if _add(user, group, organisation):
            result.added += 1
        else:
            result.already += 1
    if result.added:
        mark_changed([timezone.localdate()])
    return result


def import_members(user, group_id: int, raw, filename: str) -> ImportReport:
    """A spreadsheet of registry codes (ma_so_thue): each row adds one organisation; a code no
    organisation in reach has is a refused line, the good lines are added."""
    group = get_group(user, group_id)
    reach = _registry(user, group)
    report = ImportReport()

    def handle(values: dict, line: int) -> None:
        code = _normalise_code(values.get("registry_code", ""))
        if not code:
            raise RowError("registry_code", "missing_registry_code", "Thiếu mã số thuế",
                           "The registry (tax) code is missing")  # fmt: skip
        organisation = reach.filter(registry_code=code).first()
        if organisation is None:
            raise RowError("registry_code", "unknown_organisation",
                           f"Không có đơn vị mã {code} trong địa bàn",
                           f"No organisation with the code {code} in reach")  # fmt: skip
        if _add(user, group, organisation):
            report.created += 1
        else:
            report.unchanged += 1

    each_row(raw, filename, MEMBER_ALIASES, report, handle)
    if report.created:
        mark_changed([timezone.localdate()])
    audit.record(user, "group.member_import", target=group, row_count=report.created,
                 details={"rejected": len(report.rejected)})  # fmt: skip
    return report


@transaction.atomic
def remove_member(user, group_id: int, organisation_id: int) -> GroupMembership:
    """The organisation leaves the group today: from today it no longer counts for the group's
    sectors; its past days keep counting (the membership row stays, closed)."""
    group = get_group(user, group_id)
    membership = (GroupMembership.objects.select_for_update()
                  .filter(group=group, organisation_id=organisation_id, until__isnull=True)
                  .first())  # fmt: skip
    if membership is None:
        raise NotFound("thành viên của nhóm", "member of the group")
    membership.until, membership.removed_at = timezone.localdate(), timezone.now()
    membership.removed_by = user
    membership.save(update_fields=["until", "removed_at", "removed_by"])
    audit.record(user, "group.member_removed", target=group,
                 details={"organisation": organisation_id})  # fmt: skip
    mark_changed([timezone.localdate()])
    return membership


def member_table(rows) -> tuple[list[str], list[list]]:
    header = ["Đơn vị / Organisation", "Mã số thuế / Registry code", "Xã / Commune",
              "Từ ngày / Member since"]  # fmt: skip
    return header, [[m.organisation.name, m.organisation.registry_code,
                     m.organisation.commune.name, m.since.isoformat()]
                    for m in rows.iterator(chunk_size=2000)]  # fmt: skip
