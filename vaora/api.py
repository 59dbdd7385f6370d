"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json). Each app contributes a router;
errors are always coded JSON in Vietnamese and English, never a bare 500 for bad input."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from vaora.core.api import router as core_router
from vaora.core.errors import NotFound, VaoraError
from vaora.oversight.accounts_api import router as accounts_router
from vaora.oversight.api import public as oversight_public
from vaora.oversight.api import router as oversight_router
from vaora.oversight.helpers_api import helpers_router as oversight_helpers
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

api = NinjaAPI(
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


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    error = VaoraError(
        "invalid_input", "Dữ liệu gửi lên không hợp lệ.", "The data sent is not valid.", 422
    )
    body = error.as_dict() | {"errors": exc.errors}
    return api.create_response(request, body, status=422)


api.add_router("/", core_router)
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
api.add_router("/", oversight_helpers)
api.add_router("/", oversight_public)
api.add_router("/people", people_router)
api.add_router("/", sign_in_router)
api.add_router("/", sign_out_everywhere_router)
api.add_router("/", citizens_router)
