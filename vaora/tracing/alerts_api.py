"""API for exposure sites (public list; health officials publish), notices to a case's contacts
(with a second official's approval above the threshold), the notice templates and exposure
rules the health department edits, and each citizen's own self-check and notices."""

import datetime

from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict, Field

from vaora.core.api_types import ObjectId, id_field
from vaora.core.errors import NotFound
from vaora.core.sms import progress as sms_progress
from vaora.people.api import citizen_person
from vaora.people.tokens_auth import citizen_auth
from vaora.tracing import alerts, services
from vaora.tracing.api import HealthOfficialAuth
from vaora.tracing.models import NoticeBatch

public = Router(tags=["exposure sites (public)"], auth=None)
officials = Router(tags=["contact tracing"], auth=HealthOfficialAuth())
citizens = Router(tags=["citizens"], auth=citizen_auth)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class SiteOut(Schema):
    id: int
    venue_id: int  # what a phone compares its own history with (posters carry it too)
    zone_id: int | None
    venue: str
    address: str
    commune: str
    zone: str | None
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    advice_vi: str
    advice_en: str

    @staticmethod
    def resolve_venue(site) -> str:
        return site.venue.name

    @staticmethod
    def resolve_address(site) -> str:
        return site.venue.address

    @staticmethod
    def resolve_commune(site) -> str:
        return site.venue.commune.name

    @staticmethod
    def resolve_zone(site) -> str | None:
        return site.zone.name if site.zone else None


class SiteIn(Strict):
    venue_id: int = id_field()
    zone_id: int | None = id_field(None)
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    case_id: int | None = id_field(None)
    advice_vi: str = Field("", max_length=1000)
    advice_en: str = Field("", max_length=1000)


class BatchIn(Strict):
    degree: int | None = Field(None, ge=1, le=3)


class BatchOut(Schema):
    id: int
    case_id: int
    size: int
    status: str = Field(
        description="pending, approved, sending (the worker writes the notices "
        "and queues the SMS), sent"
    )
    notices_made: int = Field(description="in-app notices written so far")
    sms_sent: int = Field(description="SMS queued for the gateway so far")
    sms_delivered: int = 0
    sms_failed: int = 0
    sms_left: int = Field(0, description="queued or waiting to retry")
    created_at: datetime.datetime
    approved_at: datetime.datetime | None
    sent_at: datetime.datetime | None

    @staticmethod
    def resolve_sms_delivered(batch) -> int:
        return _sms_of(batch).sent

    @staticmethod
    def resolve_sms_failed(batch) -> int:
        return _sms_of(batch).failed

    @staticmethod
    def resolve_sms_left(batch) -> int:
        found = _sms_of(batch)
        return found.queued + found.retrying


def _sms_of(batch: NoticeBatch):
    """The batch's SMS progress, counted once per answer (three fields read it)."""
    if not hasattr(batch, "_sms_progress"):
        batch._sms_progress = sms_progress(batch.sms_key)
    return batch._sms_progress


class TemplateIn(Strict):
    text_vi: str = Field(max_length=480)
    text_en: str = Field(max_length=480)


class RuleIn(Strict):
    min_overlap_minutes: int = Field(ge=0, le=1440)
    buffer_before_minutes: int = Field(0, ge=0, le=240)
    buffer_after_minutes: int = Field(0, ge=0, le=240)
    high_risk_minutes: int = Field(ge=0, le=1440)


@public.get("/exposure-sites", response=list[SiteOut], summary="Where and when (no personal data)")
@paginate
def sites(request):
    return alerts.current_sites()


# The same path as the public list, so on the same router (ninja joins methods per router),
# with the health officials' authentication for this method.
@public.post("/exposure-sites", response=SiteOut, auth=HealthOfficialAuth(),
             summary="Publish an exposure site")  # fmt: skip
def publish(request, payload: SiteIn):
    case = services.get_case(request.user, payload.case_id) if payload.case_id else None
    return alerts.publish_site(request.user, **payload.dict(exclude={"case_id"}), case=case)


@officials.post("/exposure-sites/{site_id}/withdraw", response=SiteOut, summary="Withdraw one")
def withdraw(request, site_id: ObjectId):
    return alerts.withdraw_site(request.user, site_id)


def _batch(request, batch_id: ObjectId) -> NoticeBatch:
    batch = (NoticeBatch.objects.visible_to(request.user).select_related("case")
             .filter(pk=batch_id).first())  # fmt: skip
    if batch is None:
        raise NotFound("đợt thông báo", "notice batch")
    services.get_case(request.user, batch.case_id)  # 404 outside the official's area
    return batch


@officials.post("/cases/{case_id}/notices", response=BatchOut,
                summary="Prepare notices to the case's contacts")  # fmt: skip
def prepare(request, case_id: ObjectId, payload: BatchIn):
    return alerts.create_batch(request.user, services.get_case(request.user, case_id),
                               degree=payload.degree)  # fmt: skip


@officials.get("/notice-batches/{batch_id}", response=BatchOut,
               summary="A batch and how far its sending got")  # fmt: skip
def batch(request, batch_id: ObjectId):
    return _batch(request, batch_id)


@officials.post("/notice-batches/{batch_id}/approve", response=BatchOut,
                summary="Approve a large batch (another official than its author)")  # fmt: skip
def approve(request, batch_id: ObjectId):
    return alerts.approve(request.user, _batch(request, batch_id))


@officials.post("/notice-batches/{batch_id}/send", response=BatchOut, summary="Send a batch")
def send(request, batch_id: ObjectId):
    return alerts.send(request.user, _batch(request, batch_id))


@officials.post("/cases/{case_id}/reveal-requests/{request_id}/approve",
                summary="Approve another official's large export")  # fmt: skip
def approve_reveal(request, case_id: ObjectId, request_id: ObjectId):
    found = alerts.approve_reveal(request.user, services.get_case(request.user, case_id),
                                  request_id)  # fmt: skip
    return {"id": found.pk, "size": found.size, "approved_at": found.approved_at}


@officials.put("/notice-templates/{key}", summary="Edit a notice template (f1, f2)")
def template(request, key: str, payload: TemplateIn):
    saved = alerts.save_template(request.user, key, payload.text_vi, payload.text_en)
    return {"key": saved.key, "text_vi": saved.text_vi, "text_en": saved.text_en}


@officials.put("/exposure-rules/{kind}", summary="Edit what counts as exposure at a kind")
def rule(request, kind: str, payload: RuleIn):
    services.save_rule(request.user, kind, payload.dict())
    return {"kind": kind, **payload.dict()}


@citizens.get("/me/exposure-check", summary="My visits at published exposure sites")
def exposure_check(request):
    return [{"site": SiteOut.from_orm(site).dict(), "person": visit.person.name,
             "entered_at": visit.entered_at, "ends_at": visit.ends_at}
            for site, visit in alerts.self_check(citizen_person(request))]  # fmt: skip


@citizens.get("/me/notices", summary="Notices from the health department")
def notices(request):
    person = citizen_person(request)
    return [{"id": n.id, "created_at": n.created_at, "text_vi": n.text_vi, "text_en": n.text_en}
            for n in person.notices.all()[:50]]  # fmt: skip
