"""The ASGI router: POST /ingest/v1/check-in and /ingest/v1/check-out are answered here;
everything else goes to Django.

    POST /ingest/v1/check-in   Authorization: Bearer <check-in pass>
        {"client_id": "<uuid>", "token": "<poster token>", "at": "<ISO time, optional>"}
    → 201 {"status": "stored", "visit_id": N} | 200 {"status": "duplicate"|"extended", ...}
    POST /ingest/v1/check-out  {"client_id": "<uuid>", "visit_client_id": "<uuid>", "at": ...}
    Errors: {"code", "message", "message_vi", "message_en"} (as the rest of the API) with
    400/401/404/405/409/410/413/429/503.
"""

import datetime
import json
import uuid

from django.utils import timezone

from vaora.core import metrics
from vaora.core.errors import VaoraError
from vaora.ingest.directory import directory
from vaora.ingest.writer import Job, busy, pass_revoked, writer
from vaora.people import passes
from vaora.visits.services import check_time

ROUTES = {"/ingest/v1/check-in": "check_in", "/ingest/v1/check-out": "check_out"}
MAX_BODY = 8 * 1024


def bad_input() -> VaoraError:
    return VaoraError("invalid_input", "Dữ liệu gửi lên không hợp lệ.",
                      "The data sent is not valid.", 400)  # fmt: skip


def no_pass() -> VaoraError:
    return VaoraError("not_authenticated", "Cần đăng nhập lại để khai báo.",
                      "Sign in again to check in.", 401)  # fmt: skip


def too_big() -> VaoraError:
    return VaoraError("body_too_large", "Dữ liệu quá lớn.", "The request is too large.", 413)


def not_post() -> VaoraError:
    return VaoraError("method_not_allowed", "Chỉ nhận yêu cầu POST.", "Only POST is accepted.",
                      405)  # fmt: skip


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


def _job(action: str, found: passes.Pass, data: dict) -> Job:
    try:
        client_id = uuid.UUID(str(data["client_id"]))
        at = datetime.datetime.fromisoformat(data["at"]) if data.get("at") else timezone.now()
        if timezone.is_naive(at):
            raise bad_input()
        if action == "check_in":
            token = str(data["token"])[:400]
            return Job(action, found, client_id, at, token=token)
        return Job(action, found, client_id, at,
                   visit_client_id=uuid.UUID(str(data["visit_client_id"])))  # fmt: skip
    except (KeyError, ValueError, TypeError):
        raise bad_input() from None


async def _handle(action: str, scope, receive) -> tuple[int, dict]:
    try:
        raw = await _body(receive)
        if raw is None:
            raise too_big()
        found = passes.read(_bearer(scope))
        if found is None:
            raise no_pass()
        if directory.pass_revoked(found):
            raise pass_revoked()
        try:
            data = json.loads(raw)
        except ValueError:
            raise bad_input() from None
        if not isinstance(data, dict):
            raise bad_input()
        job = _job(action, found, data)
        # Refused before queueing: the window every door uses (visits.rules.check_time).
        check_time(job.at, timezone.now())
        wait = writer().retry_after()
        if wait is not None:  # behind: refused now, not after the client's own timeout
            metrics.count_refusal("try_again")
            return 503, busy().as_dict() | {"retry_after": wait}
    except VaoraError as error:
        metrics.count_refusal(error.code)
        return error.status, error.as_dict()
    return await writer().submit(job)


async def _respond(send, status: int, payload: dict) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]  # fmt: skip
    if status == 503:  # the client's queue waits this long before sending again
        headers.append((b"retry-after", str(payload.get("retry_after", 2)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
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
            refused = not_post()
            return await _respond(send, refused.status, refused.as_dict())
        status, payload = await _handle(action, scope, receive)
        metrics.HTTP.labels(
            status_class=f"{status // 100}xx"
        ).inc()  # Django's middleware is not on this path
        await _respond(send, status, payload)
