"""API of the sector axis: organisation groups kept by their boards, and the weekly ranking.
Other roles get 403 before anything is read; a group outside the official's reach is 404."""

import datetime
from typing import Annotated

from ninja import File, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from vaora.core import exports
from vaora.core.api_auth import RoleAuth
from vaora.core.api_types import MAX_ID, ObjectId, id_field
from vaora.core.models import Place
from vaora.oversight import accounts, compliance, groups, ranking
from vaora.oversight.api import ImportOut, upload_within_limit
from vaora.oversight.stats import shown

router = Router(tags=["sectors and groups"], auth=RoleAuth(compliance.require_overseer))


class GroupOut(Schema):
    id: int
    code: str
    name: str
    category: str
    territory_id: int | None
    sectors: list[str]

    @staticmethod
    def resolve_sectors(group) -> list[str]:
        return [s.code for s in group.sectors.all()]


class GroupIn(Schema):
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    category: str = "other"
    territory_id: int | None = id_field(None)
    sector: str = Field(
        "", max_length=40, description="the code of the sector whose board keeps the group"
    )


@router.get("/oversight/groups", response=list[GroupOut], summary="Organisation groups in reach")
@paginate
def group_list(request):
    return groups.groups_for(request.user).prefetch_related("sectors")


@router.post("/oversight/groups", response={201: GroupOut},
             summary="Create a group (provincial office, administrators)")  # fmt: skip
def group_create(request, body: GroupIn):
    territory = (Place.objects.filter(pk=body.territory_id).first()
                 if body.territory_id else None)  # fmt: skip
    sector = accounts.sector_by_code(request.user, body.sector) if body.sector else None
    group = groups.create_group(request.user, code=body.code, name=body.name,
                                category=body.category, territory=territory,
                                sector=sector)  # fmt: skip
    return Status(201, group)


class MemberOut(Schema):
    organisation_id: int
    name: str = Field(alias="organisation.name")
    registry_code: str = Field(alias="organisation.registry_code")
    commune: str = Field(alias="organisation.commune.name")
    since: datetime.date


@router.get("/oversight/groups/{group_id}/members", response=list[MemberOut],
            summary="The group's organisations today")  # fmt: skip
@paginate
def member_list(request, group_id: ObjectId, q: str = ""):
    return groups.members(groups.get_group(request.user, group_id), q)


class MembersIn(Schema):
    registry_codes: list[Annotated[str, Field(max_length=20)]] = Field(
        default_factory=list, max_length=groups.MAX_CODES
    )
    organisation_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=list, max_length=groups.MAX_CODES
    )


class AddedOut(Schema):
    added: int
    already: int
    unknown: list[str]


@router.post("/oversight/groups/{group_id}/members", response=AddedOut,
             summary="Add organisations from today, by registry code or id")  # fmt: skip
def member_add(request, group_id: ObjectId, body: MembersIn):
    return groups.add_members(request.user, group_id, registry_codes=body.registry_codes,
                              organisation_ids=body.organisation_ids)  # fmt: skip


@router.post("/oversight/groups/{group_id}/members/import", response=ImportOut,
             summary="Add organisations from a spreadsheet (ma_so_thue column)")  # fmt: skip
def member_import(request, group_id: ObjectId, file: UploadedFile = File(...)):
    upload_within_limit(file)
    return groups.import_members(request.user, group_id, file.file, file.name).as_dict()


@router.delete("/oversight/groups/{group_id}/members/{organisation_id}", response={204: None},
               summary="The organisation leaves the group from today")  # fmt: skip
def member_remove(request, group_id: ObjectId, organisation_id: ObjectId):
    groups.remove_member(request.user, group_id, organisation_id)
    return Status(204, None)


class ChangeOut(Schema):
    organisation_id: int
    name: str = Field(alias="organisation.name")
    since: datetime.date
    until: datetime.date | None
    added_at: datetime.datetime
    added_by: str | None = Field(None, alias="added_by.username")
    removed_at: datetime.datetime | None
    removed_by: str | None = Field(None, alias="removed_by.username")


@router.get("/oversight/groups/{group_id}/history", response=list[ChangeOut],
            summary="Every membership of the group, newest first (the audit trail)")  # fmt: skip
@paginate
def member_history(request, group_id: ObjectId):
    return groups.history(groups.get_group(request.user, group_id))


class UnitOut(Schema):
    rank: int
    organisation_id: int
    name: str
    registry_code: str
    commune: str
    venues: int
    active_venues: int
    active_days: int
    regularity: float
    entries: str


@router.get(
    "/oversight/ranking",
    response=list[UnitOut],
    summary="Units ranked by how regularly they scanned in a week (Monday–Sunday)",
)
@paginate
def weekly_ranking(request, week: datetime.date | None = Query(None, description=(
        "any day of the week; default: the last complete week"))):  # fmt: skip
    units = ranking.ranking(request.user, ranking.week_of(week))
    return [u.__dict__ | {"regularity": u.regularity, "entries": shown(u.entries)} for u in units]


@router.get("/oversight/ranking/export", summary="The weekly ranking as CSV or XLSX")
def weekly_ranking_export(request, week: datetime.date | None = None, fmt: str = "csv"):
    monday = ranking.week_of(week)
    units = ranking.ranking(request.user, monday)
    compliance.record_list_read(request.user, "ranking_export", len(units))
    return exports.response(fmt, *ranking.table(units), f"vaora-ranking-{monday.isoformat()}")
