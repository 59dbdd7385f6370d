"""API for paper registers: upload a filled register, follow its progress, fetch the refused
rows, and download the blank register and the template. Venue staff and managers of the
venue's own organisation only (another organisation's venue: 404; officials: 403)."""

import datetime
from typing import Annotated

from django.http import HttpResponse
from ninja import File, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from vaora.core import exports
from vaora.core.api_types import ObjectId
from vaora.paper import register, services
from vaora.venues.services import staff_venue

router = Router(tags=["paper registers"], auth=django_auth)


class RowErrorOut(Schema):
    line: int
    column: str
    code: str
    message_vi: str
    message_en: str


class UploadOut(Schema):
    id: int
    filename: str
    status: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    progress_percent: int
    total_rows: int
    stored: int
    duplicates: int
    rejected: int
    error_code: str
    errors: list[RowErrorOut]


@router.post("/venues/{venue_id}/paper-uploads", response={200: UploadOut, 202: UploadOut},
             summary="Upload a filled paper register (.csv or .xlsx)")  # fmt: skip
def upload(request, venue_id: ObjectId, file: UploadedFile = File(...)):
    """Small files are imported before the answer (200); large ones are imported by the
    server's worker (202): poll the upload until `status` is `done`, `failed` or `cancelled`."""
    item = services.start(request.user, staff_venue(request.user, venue_id), file)
    return Status(200 if item.finished_at else 202, item)


@router.get("/venues/{venue_id}/paper-uploads", response=list[UploadOut],
            summary="Earlier uploads of a venue, newest first")  # fmt: skip
@paginate
def uploads(request, venue_id: ObjectId):
    return services.uploads_for(request.user, staff_venue(request.user, venue_id))


@router.get("/venues/{venue_id}/paper-uploads/{upload_id}", response=UploadOut,
            summary="An upload's progress and report")  # fmt: skip
def upload_status(request, venue_id: ObjectId, upload_id: ObjectId):
    return services.get_upload(request.user, staff_venue(request.user, venue_id), upload_id)


@router.post("/venues/{venue_id}/paper-uploads/{upload_id}/cancel", response=UploadOut,
             summary="Stop an import that is waiting or running (stored rows stay)")  # fmt: skip
def cancel(request, venue_id: ObjectId, upload_id: ObjectId):
    return services.cancel(request.user, staff_venue(request.user, venue_id), upload_id)


@router.get("/venues/{venue_id}/paper-uploads/{upload_id}/rejected",
            summary="Refused rows with a reason column (CSV), to fix and send again")  # fmt: skip
def rejected(request, venue_id: ObjectId, upload_id: ObjectId):
    item = services.get_upload(request.user, staff_venue(request.user, venue_id), upload_id)
    return exports.attachment(services.rejected_rows(item), "csv", f"rejected-{item.pk}")


@router.get("/venues/{venue_id}/paper-register.pdf", summary="A blank register to print")
def blank_register(request, venue_id: ObjectId, pages: Annotated[int, Query(ge=1, le=50)] = 1):
    body = register.blank_register_pdf(staff_venue(request.user, venue_id), pages)
    return HttpResponse(body, content_type="application/pdf")


@router.get("/venues/{venue_id}/paper-template.{fmt}",
            summary="The empty register template (csv or xlsx)")  # fmt: skip
def template(request, venue_id: ObjectId, fmt: str):
    return register.template(fmt, staff_venue(request.user, venue_id))
