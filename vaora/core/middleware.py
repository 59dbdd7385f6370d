"""Security headers Django 5.2 does not set by itself, and the page language rule."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# Everything is served from our own origin: no CDN, no inline script, no web fonts.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; media-src 'self' blob:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def content_security_policy(get_response):
    def middleware(request):
        response = get_response(request)
        # The API docs page loads its own bundled assets; everything else gets the strict policy.
        if not request.path.startswith("/api/v1/docs"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self)")
        return response

    return middleware


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are Vietnamese unless the visitor picks English with the switcher (a cookie):
    many officials' computers run English browsers, and the province's language is Vietnamese.
    API clients choose explicitly with Accept-Language."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def coded_errors(get_response):
    """A VaoraError raised by a page becomes a page with its status and bilingual message,
    never a 500 (the API has its own handler that answers JSON)."""
    from django.shortcuts import render

    from vaora.core.errors import VaoraError

    def middleware(request):
        return get_response(request)

    def process_exception(request, exception):
        if isinstance(exception, VaoraError) and not request.path.startswith("/api/"):
            context = {"status": exception.status, "title": exception.message,
                       "text": exception.message_en, "code": exception.code}  # fmt: skip
            return render(request, "core/error.html", context, status=exception.status)
        return None

    middleware.process_exception = process_exception
    return middleware


def server_timing(get_response):
    """`Server-Timing: app;dur=…` on every answer: the time Django spent on it, which browser
    tools (and the gate benchmark, through PerformanceResourceTiming) read apart from the
    network and the queue in front of the server. Off unless VAORA_SERVER_TIMING=1: durations
    can tell an outsider which branch a request took."""
    import time

    def middleware(request):
        started = time.perf_counter()
        response = get_response(request)
        spent = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"app;dur={spent:.1f}"
        return response

    return middleware
