"""Oversight API: everything the oversight pages do. Other roles get 403 before anything is
read; a commune outside the official's jurisdiction is 404."""

import datetime
from typing import Annotated

from django.http import HttpResponse
from ninja import File, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from vaora.core import exports
from vaora.core.api_auth import RoleAuth
from vaora.core.api_types import ObjectId, OptionalIdQuery, id_field
from vaora.core.models import Place
from vaora.oversight import account_import, accounts, compliance, helpers, reminders, stats
from vaora.oversight.views import UPLOAD_LIMIT
from vaora.people import cards
from vaora.venues.importer import too_large
from vaora.venues.models import Organisation

public = Router(tags=["public statistics"])


router = Router(tags=["oversight"], auth=RoleAuth(compliance.require_overseer))
helpers_router = Router(tags=["helpers"], auth=RoleAuth(helpers.require_registrar))


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


def _upload(file: UploadedFile) -> None:
    if file.size > UPLOAD_LIMIT:
        raise too_large()


@router.post("/oversight/required/import", response=ImportOut,
             summary="Load the list of organisations required to register (CSV/XLSX)")  # fmt: skip
def required_import(request, file: UploadedFile = File(...)):
    _upload(file)
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


class AccountIn(Schema):
    username: str = Field(max_length=150)
    role: str
    display_name: str = Field("", max_length=150)
    jurisdiction_id: int | None = id_field(None)
    organisation_id: int | None = id_field(None)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


class AccountOut(Schema):
    id: int
    username: str
    role: str
    display_name: str
    jurisdiction_id: int | None
    organisation_id: int | None
    is_active: bool
    activated: bool
    second_factor: bool
    last_login: datetime.datetime | None
    date_joined: datetime.datetime

    @staticmethod
    def resolve_activated(account) -> bool:
        return account.has_usable_password()

    @staticmethod
    def resolve_second_factor(account) -> bool:
        return account.totp_confirmed_at is not None


def _new_account(body: AccountIn) -> accounts.NewAccount:
    place = Place.objects.filter(pk=body.jurisdiction_id).first() if body.jurisdiction_id else None
    organisation = (Organisation.objects.filter(pk=body.organisation_id).first()
                    if body.organisation_id else None)  # fmt: skip
    return accounts.NewAccount(
        username=body.username, role=body.role, display_name=body.display_name,
        jurisdiction=place, organisation=organisation, phone=body.phone, email=body.email,
    )  # fmt: skip


@router.get("/oversight/accounts", response=list[AccountOut],
            summary="Staff and official accounts in the jurisdiction, with last use")  # fmt: skip
@paginate
def account_list(request, role: str = "", active: str = "", q: str = ""):
    return accounts.accounts_for(request.user, role=role, active=active, query=q)


@router.post("/oversight/accounts", response={201: AccountOut},
             summary="Create an account; its activation link goes through the outbox")  # fmt: skip
def account_create(request, body: AccountIn):
    account, _link = accounts.create_account(request.user, _new_account(body))
    return Status(201, account)


@router.post("/oversight/accounts/import", response=ImportOut,
             summary="Create accounts from a CSV/XLSX file (line-numbered report)")  # fmt: skip
def account_bulk(request, file: UploadedFile = File(...)):
    _upload(file)
    return account_import.import_accounts(request.user, file.file, file.name).as_dict()


@router.post("/oversight/accounts/{account_id}/deactivate", response=AccountOut)
def account_deactivate(request, account_id: ObjectId):
    return accounts.set_active(request.user, account_id, False)


@router.post("/oversight/accounts/{account_id}/activate", response=AccountOut)
def account_reactivate(request, account_id: ObjectId):
    return accounts.set_active(request.user, account_id, True)


@router.post("/oversight/accounts/{account_id}/resend-activation", response=AccountOut)
def account_resend(request, account_id: ObjectId):
    account = accounts.get_account(request.user, account_id)
    accounts.send_activation(request.user, account)
    return account


@router.post("/oversight/accounts/{account_id}/reset-second-factor", response=AccountOut)
def account_reset_second_factor(request, account_id: ObjectId):
    return accounts.reset_second_factor(request.user, account_id)


class OrganisationIn(Schema):
    name: str = Field(max_length=200)
    kind: str
    commune_id: int = id_field()
    registry_code: str = Field("", max_length=20)


class HelperOrganisationOut(Schema):
    id: int
    name: str
    kind: str
    commune_id: int
    registry_code: str
    handed_over_at: datetime.datetime | None


class HandOverIn(Schema):
    username: str = Field(max_length=150)
    display_name: str = Field("", max_length=150)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


@helpers_router.post("/helpers/organisations", response={201: HelperOrganisationOut},
                     summary="Register an organisation on its owner's behalf")  # fmt: skip
def register_organisation(request, body: OrganisationIn):
    organisation = helpers.register_organisation(
        request.user, name=body.name, kind=body.kind,
        commune=Place.objects.filter(pk=body.commune_id).first(), registry_code=body.registry_code,
    )  # fmt: skip
    return Status(201, organisation)


@helpers_router.get("/helpers/organisations", response=list[HelperOrganisationOut])
@paginate
def my_organisations(request):
    return helpers.registered_by(request.user)


@helpers_router.post("/helpers/organisations/{org_id}/hand-over", response=HelperOrganisationOut,
                     summary="Hand the organisation over to its manager (new account)")  # fmt: skip
def hand_over(request, org_id: ObjectId, body: HandOverIn):
    manager = accounts.NewAccount(username=body.username, role="org_manager",
                                  display_name=body.display_name, phone=body.phone,
                                  email=body.email)  # fmt: skip
    return helpers.hand_over(request.user, org_id, manager)[0]


class PersonIn(Schema):
    name: str = Field(max_length=120)
    phone: str = Field("", max_length=20)
    cccd: str = Field("", max_length=20)
    birth_year: int | None = Field(None, ge=1900, le=2100)
    home_commune_id: int | None = id_field(None)


@helpers_router.post("/helpers/people", summary="Assisted sign-up: a new person's QR card (PDF)")
def sign_up_person(request, body: PersonIn):

    commune = Place.objects.filter(pk=body.home_commune_id, level="commune").first()
    person = helpers.sign_up_person(
        request.user, name=body.name, phone=body.phone, cccd=body.cccd,
        birth_year=body.birth_year, home_commune=commune,
    )  # fmt: skip
    return HttpResponse(cards.cards_pdf([person]), content_type="application/pdf")
