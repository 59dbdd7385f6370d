"""The ASGI router: POST /ingest/v1/check-in and /ingest/v1/check-out are answered here;
everything else goes to Django.

    POST /ingest/v1/check-in   Authorization: Bearer <check-in pass>
        {"client_id": "<uuid>", "token": "<poster token>", "at": "<ISO time, optional>"}
    → 201 {"status": "stored", "visit_id": N} | 200 {"status": "duplicate"|"extended", ...}
    POST /ingest/v1/check-out  {"client_id": "<uuid>", "visit_client_id": "<uuid>", "at": ...}
    Errors: {"code", "message_vi", "message_en"} with 400/401/404/410/413/503.
"""

import datetime
import json
import uuid

from django.utils import timezone

from vaora.core.errors import VaoraError
from vaora.ingest import passes
from vaora.ingest.writer import Job, writer
from vaora.visits.services import check_time

ROUTES = {"/ingest/v1/check-in": "check_in", "/ingest/v1/check-out": "check_out"}
MAX_BODY = 8 * 1024


def _error(status: int, code: str, vi: str, en: str) -> tuple[int, dict]:
    return status, {"code": code, "message_vi": vi, "message_en": en}


BAD_JSON = _error(
    400, "invalid_input", "Dữ liệu gửi lên không hợp lệ.", "The data sent is not valid."
)
NO_PASS = _error(401, "not_authenticated", "Cần đăng nhập lại để khai báo.",
                 "Sign in again to check in.")  # fmt: skip
TOO_BIG = _error(413, "body_too_large", "Dữ liệu quá lớn.", "The request is too large.")


async def _body(receive) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def _bearer(scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"authorization" and value[:7].lower() == b"bearer ":
            return value[7:].decode("latin-1").strip()
    return ""


def _job(action: str, person_id: int, data: dict) -> Job | tuple[int, dict]:
    try:
        client_id = uuid.UUID(str(data["client_id"]))
        at = datetime.datetime.fromisoformat(data["at"]) if data.get("at") else timezone.now()
        if timezone.is_naive(at):
            return BAD_JSON
        if action == "check_in":
            token = str(data["token"])[:400]
            return Job(action, person_id, client_id, at, token=token)
        return Job(action, person_id, client_id, at,
                   visit_client_id=uuid.UUID(str(data["visit_client_id"])))  # fmt: skip
    except (KeyError, ValueError, TypeError):
        return BAD_JSON


def _check_time(at: datetime.datetime) -> tuple[int, dict] | None:
    """The same window as every other check-in path (visits.services.check_time)."""
    try:
        check_time(at, timezone.now())
    except VaoraError as error:
        return error.status, error.as_dict()
    return None


async def _handle(action: str, scope, receive) -> tuple[int, dict]:
    raw = await _body(receive)
    if raw is None:
        return TOO_BIG
    person_id = passes.verify(_bearer(scope))
    if person_id is None:
        return NO_PASS
    try:
        data = json.loads(raw)
    except ValueError:
        return BAD_JSON
    job = _job(action, person_id, data) if isinstance(data, dict) else BAD_JSON
    if isinstance(job, tuple):
        return job
    refused = _check_time(job.at)
    if refused:
        return refused
    return await writer().submit(job)


async def _respond(send, status: int, payload: dict) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


class IngestRouter:
    def __init__(self, django_app):
        self.django_app = django_app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        action = ROUTES.get(scope.get("path", "")) if scope["type"] == "http" else None
        if action is None:
            return await self.django_app(scope, receive, send)
        if scope["method"] != "POST":
            return await _respond(send, 405, {"code": "method_not_allowed"})
        status, payload = await _handle(action, scope, receive)
        await _respond(send, status, payload)
