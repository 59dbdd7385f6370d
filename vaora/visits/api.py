"""The sync endpoint that phones (and, later, staff scanners) send their queued scans to.
Each item is answered on its own — stored, duplicate, extended or rejected with a reason — so a
bad item never costs the good ones, and a batch sent three times stores each visit once."""

import datetime
import uuid
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from vaora.core.api_types import ObjectId, id_field
from vaora.core.errors import VaoraError
from vaora.core.roles import Role
from vaora.people import passes
from vaora.people.tokens_auth import citizen_auth
from vaora.venues import tokens
from vaora.visits import engine, rules, services
from vaora.visits.models import Source, Visit

router = Router(tags=["visits"], auth=citizen_auth)
MAX_ITEMS = 500


class SyncItem(Schema):
    model_config = ConfigDict(extra="forbid")

    client_id: uuid.UUID
    action: Literal["check_in", "check_out"]
    at: datetime.datetime
    token: str | None = Field(None, max_length=400, description="the scanned poster's token")
    visit_client_id: uuid.UUID | None = Field(None, description="check_out: the check-in's id")
    dependant_ids: list[Annotated[int, id_field()]] = Field(default_factory=list, max_length=20)


class SyncIn(Schema):
    model_config = ConfigDict(extra="forbid")

    items: list[SyncItem] = Field(max_length=MAX_ITEMS)


class SyncResult(Schema):
    client_id: uuid.UUID
    status: Literal["stored", "duplicate", "extended", "rejected"]
    code: str | None = None
    message: str | None = None
    visit_id: int | None = None
    late: bool = False


class SyncOut(Schema):
    results: list[SyncResult]


def _citizen_person(user):
    if user.role != Role.CITIZEN or user.person_id is None:
        raise VaoraError("citizens_only", "Chỉ người dân dùng chức năng này.",
                         "Only citizens use this.", 403)  # fmt: skip
    return user.person


def _apply(person, item: SyncItem) -> SyncResult:
    if item.action == "check_in":
        if not item.token:
            raise VaoraError("token_missing", "Thiếu mã địa điểm.", "The venue code is missing.")
        scanned = tokens.resolve(item.token)
        dependants = list(person.dependants.filter(pk__in=item.dependant_ids))
        source = rules.source_for(item.at, timezone.now(), Source.SELF_SCAN, Source.OFFLINE)
        outcome = services.check_in_family(person, dependants, scanned.venue, scanned.zone,
                                           at=item.at, client_id=item.client_id,
                                           source=source)[0]  # fmt: skip
    else:
        if item.visit_client_id is None:
            raise engine.visit_unknown()
        outcome = services.check_out_by_client_id(person, item.visit_client_id, at=item.at,
                                                   client_id=item.client_id)  # fmt: skip
    return SyncResult(client_id=item.client_id, status=outcome.status,
                      visit_id=outcome.visit.pk, late=outcome.visit.is_late)  # fmt: skip


class PassOut(Schema):
    token: str
    expires_in_seconds: int
    check_in_url: str = "/ingest/v1/check-in"
    check_out_url: str = "/ingest/v1/check-out"


@router.post("/visits/pass", response=PassOut, summary="A check-in pass for the fast path")
def issue_pass(request):
    """A bearer pass for POST /ingest/v1/check-in and /check-out (the high-throughput path
    beside Django; see docs/api.md)."""
    person = _citizen_person(request.user)
    return {"token": passes.issue(person.pk), "expires_in_seconds": passes.LIFETIME_SECONDS}


@router.post("/visits/sync", response=SyncOut, summary="Send queued check-ins and check-outs")
def sync(request, payload: SyncIn):
    """Items are applied in the order of their scan times (a check-out after its check-in)."""
    person = _citizen_person(request.user)
    results = {}
    for item in sorted(payload.items, key=lambda i: (i.at, i.action != "check_in")):
        try:
            results[item.client_id] = _apply(person, item)
        except VaoraError as error:
            results[item.client_id] = SyncResult(
                client_id=item.client_id, status="rejected", code=error.code, message=error.message
            )
    return {"results": [results[item.client_id] for item in payload.items]}


class CorrectionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    entered_at: datetime.datetime
    left_at: datetime.datetime


class VisitOut(Schema):
    id: int
    venue_id: int
    zone_id: int | None
    entered_at: datetime.datetime
    left_at: datetime.datetime | None
    ends_at: datetime.datetime
    corrected: bool


@router.patch("/me/visits/{visit_id}", response=VisitOut, summary="Correct my visit's times")
def correct_visit(request, visit_id: ObjectId, payload: CorrectionIn):
    """At most two hours each way, a visit of at most a day, not in the future."""
    from vaora.core.errors import NotFound

    _citizen_person(request.user)
    visit = Visit.objects.visible_to(request.user).filter(pk=visit_id).first()
    if visit is None:
        raise NotFound("lượt ra vào", "visit")
    return services.correct_times(request.user, visit, payload.entered_at, payload.left_at)
