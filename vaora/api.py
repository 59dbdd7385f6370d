"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json). Each app contributes a router;
errors are always coded JSON in Vietnamese and English, never a bare 500 for bad input."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from vaora.core.api import router as core_router
from vaora.core.errors import NotFound, VaoraError
from vaora.core.jobs_api import router as jobs_router
from vaora.oversight.accounts_api import router as accounts_router
from vaora.oversight.api import public as oversight_public
from vaora.oversight.api import router as oversight_router
from vaora.oversight.helpers_api import helpers_router as oversight_helpers
from vaora.oversight.sectors_api import router as sectors_router
from vaora.paper.api import router as paper_router
from vaora.people.api import citizens as citizens_router
from vaora.people.api import everywhere as sign_out_everywhere_router
from vaora.people.api import router as people_router
from vaora.people.api import sign_in as sign_in_router
from vaora.tracing.alerts_api import citizens as alerts_citizens
from vaora.tracing.alerts_api import officials as alerts_officials
from vaora.tracing.alerts_api import public as alerts_public
from vaora.tracing.api import router as tracing_router
from vaora.venues.api import router as venues_router
from vaora.visits.api import router as visits_router
from vaora.visits.staff_api import router as staff_router

ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message", "message_vi", "message_en"],
    "properties": {
        "code": {"type": "string", "description": "stable, e.g. invalid_input, not_found"},
        "message": {"type": "string", "description": "in the request's language"},
        "message_vi": {"type": "string"},
        "message_en": {"type": "string"},
        "fields": {"type": "object", "description": "per field, what is wrong (422)"},
        "errors": {"type": "array", "description": "the validator's findings (422)"},
    },
}
# Refusals any operation may answer with (coded errors from its service), and those only an
# operation that needs a signed-in caller can.
DATABASE_RETRY_AFTER = 5  # seconds
log = logging.getLogger(__name__)
ANY_ERRORS = {400: "refused (the code says why)", 404: "not found, or not yours to see",
              409: "conflicts with what exists", 410: "no longer valid (revoked, expired)",
              413: "too large", 422: "input not valid", 429: "too many requests",
              503: "busy: send again after Retry-After seconds"}  # fmt: skip
SIGNED_IN_ERRORS = {401: "sign in first", 403: "your role may not do this"}


class DocumentedAPI(NinjaAPI):
    """The OpenAPI schema lists every status an operation may answer with: its successes (from
    the route) and the coded errors above, so clients and contract tests know them all."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                statuses = dict(ANY_ERRORS)
                if operation.get("security"):
                    statuses |= SIGNED_IN_ERRORS
                responses = operation.setdefault("responses", {})
                for status, text in statuses.items():
                    responses.setdefault(str(status), {"description": text, "content": error})
        return schema


api = DocumentedAPI(
    title="vaora API",
    version="1",
    description="QR entry/exit, declarations and contact tracing. Errors are JSON objects with "
    "`code`, `message` (in the request's language), `message_vi` and `message_en`.",
    urls_namespace="api",
)


@api.exception_handler(VaoraError)
def coded_error(request, exc: VaoraError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return coded_error(request, NotFound())


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    error = VaoraError(
        "not_authenticated",
        "Bạn cần đăng nhập để dùng chức năng này.",
        "You need to sign in to use this.",
        status=401,
    )
    return coded_error(request, error)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    """ninja's own refusals (a failed CSRF check above all), in the same coded shape."""
    if exc.status_code == 403 and "CSRF" in str(exc.message):
        error = VaoraError(
            "csrf_failed", "Thiếu mã bảo vệ (CSRF) của phiên làm việc: hãy tải lại trang.",
            "The request lacks the session's CSRF token: reload the page.", 403,
        )  # fmt: skip
    else:
        error = VaoraError("refused", "Yêu cầu bị từ chối.", "The request was refused.",
                           exc.status_code)  # fmt: skip
    return coded_error(request, error)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request, exc):
    """The database is down or too busy to answer in time: a coded 503 the client's queue
    retries after Retry-After (nothing was stored), never a 500."""
    log.warning("database unavailable for %s: %s", request.path, type(exc).__name__)
    error = VaoraError("try_again", "Máy chủ bận, hãy gửi lại sau ít giây.",
                       "The server is busy; send again in a few seconds.", 503)  # fmt: skip
    response = coded_error(request, error)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    error = VaoraError(
        "invalid_input", "Dữ liệu gửi lên không hợp lệ.", "The data sent is not valid.", 422
    )
    body = error.as_dict() | {"errors": exc.errors}
    return api.create_response(request, body, status=422)


api.add_router("/", core_router)
api.add_router("/", jobs_router)
api.add_router("/", venues_router)
api.add_router("/", visits_router)
api.add_router("/", staff_router)
api.add_router("/", paper_router)
api.add_router("/", tracing_router)
api.add_router("/", alerts_public)
api.add_router("/", alerts_officials)
api.add_router("/", alerts_citizens)
api.add_router("/", oversight_router)
api.add_router("/", accounts_router)
api.add_router("/", sectors_router)
api.add_router("/", oversight_helpers)
api.add_router("/", oversight_public)
api.add_router("/people", people_router)
api.add_router("/", sign_in_router)
api.add_router("/", sign_out_everywhere_router)
api.add_router("/", citizens_router)
