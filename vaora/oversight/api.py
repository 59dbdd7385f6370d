"""Oversight API: everything the oversight pages do. Other roles get 403 before anything is
read; a commune outside the official's jurisdiction is 404."""

import datetime
from typing import Annotated

from ninja import File, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from vaora.core import exports
from vaora.core.api_auth import RoleAuth
from vaora.core.api_types import OptionalIdQuery, id_field
from vaora.oversight import compliance, reminders, stats
from vaora.oversight.views import UPLOAD_LIMIT
from vaora.venues.importer import too_large

public = Router(tags=["public statistics"])


router = Router(tags=["oversight"], auth=RoleAuth(compliance.require_overseer))


class VenueActivityOut(Schema):
    venue_id: int
    venue_name: str = Field(alias="venue.name")
    organisation: str = Field(alias="venue.organisation.name")
    commune: str = Field(alias="commune.name")
    kind: str
    status: str
    scans_today: str
    scans_7d: str
    scans_30d: str
    last_scan_at: datetime.datetime | None
    hand_entered_share: float | None
    paper_delay_hours: float | None
    expected_7d: float | None
    outlier: str
    posters_issued: int = Field(alias="venue.posters_issued")

    # Counts of 1–4 come back as "<5", as on the pages.
    resolve_scans_today = staticmethod(lambda row: stats.shown(stats.suppress(row.scans_today)))
    resolve_scans_7d = staticmethod(lambda row: stats.shown(stats.suppress(row.scans_7d)))
    resolve_scans_30d = staticmethod(lambda row: stats.shown(stats.suppress(row.scans_30d)))


class VenueFilters(Schema):
    commune: int | None = id_field(None)
    kind: str = ""
    status: str = ""
    outlier: str = ""
    sort: str = "name"


def _venue_rows(request, filters: VenueFilters):
    commune = compliance.scope_commune(request.user, filters.commune)
    return compliance.venue_activity(request.user, commune=commune, kind=filters.kind,
                                     status=filters.status, outlier=filters.outlier,
                                     sort=filters.sort)  # fmt: skip


@router.get("/oversight/venues", response=list[VenueActivityOut],
            summary="Venues with their activity and status (counts 1–4 as \"<5\")")  # fmt: skip
@paginate
def venue_list(request, filters: Query[VenueFilters]):
    return _venue_rows(request, filters)


@router.get("/oversight/venues/export", summary="The venue list as CSV or XLSX")
def venue_export(request, filters: Query[VenueFilters], fmt: str = "csv"):
    rows = _venue_rows(request, filters)
    compliance.record_list_read(request.user, "venues_export", rows.count())
    return exports.response(fmt, *compliance.venue_table(rows), "compliance")


@router.get("/oversight/status-counts", response=dict[str, int],
            summary="How many venues have each status")  # fmt: skip
def status_counts(request, commune: OptionalIdQuery = None):
    scoped = compliance.scope_commune(request.user, commune)
    return compliance.status_counts(compliance.venue_activity(request.user, commune=scoped))


class RequiredOut(Schema):
    registry_code: str
    name: str
    kind: str
    commune: str = Field(alias="commune.name")
    registered: bool


@router.get("/oversight/required", response=list[RequiredOut],
            summary="Organisations required to register, and whether they have")  # fmt: skip
@paginate
def required_list(request, commune: OptionalIdQuery = None, registered: bool | None = None):
    rows = compliance.not_registered(request.user, compliance.scope_commune(request.user, commune))
    return rows if registered is None else rows.filter(registered=registered)


class ImportOut(Schema):
    total_rows: int
    created: int
    unchanged: int
    rejected: list[dict]


def upload_within_limit(file: UploadedFile) -> None:
    if file.size > UPLOAD_LIMIT:
        raise too_large()


@router.post("/oversight/required/import", response=ImportOut,
             summary="Load the list of organisations required to register (CSV/XLSX)")  # fmt: skip
def required_import(request, file: UploadedFile = File(...)):
    upload_within_limit(file)
    return compliance.import_required(request.user, file.file, file.name).as_dict()


class ReminderIn(Schema):
    venue_ids: list[Annotated[int, id_field()]] = Field(
        min_length=1, max_length=reminders.MAX_PER_BATCH
    )


class SendOut(Schema):
    reminders: int
    messages: int
    without_recipient: int
    skipped: int
    already_reminded: int


@router.post("/oversight/reminders", response=SendOut,
             summary="Send reminders to silent, never-used or late-uploading venues")  # fmt: skip
def send_reminders(request, body: ReminderIn):
    return reminders.send(request.user, body.venue_ids)


class ReminderOut(Schema):
    id: int
    venue_id: int
    venue_name: str = Field(alias="venue.name")
    sent_at: datetime.datetime
    status_at_send: str
    recipients: int
    effective_at: datetime.datetime | None


@router.get("/oversight/reminders", response=list[ReminderOut],
            summary="Sent reminders and whether the venue scanned again")  # fmt: skip
@paginate
def reminder_list(request, effective: str = ""):
    return reminders.reminders_for(request.user, effective=effective)


class TemplateIo(Schema):
    text_vi: str = Field(max_length=600)
    text_en: str = Field(max_length=600)


@router.get("/oversight/reminder-templates/{key}", response=TemplateIo)
def get_template(request, key: str):
    return reminders.template(key)


@router.put("/oversight/reminder-templates/{key}", response=TemplateIo,
            summary="Edit a reminder text (provincial officials)")  # fmt: skip
def put_template(request, key: str, body: TemplateIo):
    return reminders.save_template(request.user, key, body.text_vi, body.text_en)


class Point(Schema):
    label: str
    value: float | None = Field(description="null: suppressed (1–4)")


class SeriesOut(Schema):
    key: str
    title: str
    chart: str
    percent: bool
    points: list[Point]


def _series_out(series: list[stats.Series]) -> list[dict]:
    return [{"key": s.key, "title": str(s.title), "chart": s.chart, "percent": s.percent,
             "points": [{"label": label, "value": value} for label, value in s.rows]}
            for s in series]  # fmt: skip


@router.get("/oversight/stats", response=list[SeriesOut],
            summary="Statistics of the jurisdiction or one commune (suppressed)")  # fmt: skip
def statistics(request, commune: OptionalIdQuery = None,
               days: Annotated[int, Query(ge=1, le=max(stats.PERIODS))] = 30,
               day: datetime.date | None = None):  # fmt: skip
    scope = stats.scope_for(request.user, compliance.scope_commune(request.user, commune), days,
                            day)  # fmt: skip
    compliance.record_list_read(request.user, "stats", 1)
    return _series_out(stats.dashboard(scope))


@public.get("/stats/public", response=list[SeriesOut], auth=None,
            summary="The province's public statistics (daily, suppressed)")  # fmt: skip
def public_statistics(request):
    return _series_out(stats.public()[1])
