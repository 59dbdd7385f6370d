"""Error pages in the visitor's language, small and self-contained."""

from django.shortcuts import render
from django.utils.translation import gettext as _


def _page(request, status: int, title: str, text: str):
    context = {"status": status, "title": title, "text": text}
    return render(request, "core/error.html", context, status=status)


def refusal(request, error):
    """A refused code or scan (VaoraError): its Vietnamese message, an English line, its code."""
    return render(request, "venues/scan_error.html", {"error": error}, status=error.status)


def not_found(request, exception=None):
    return _page(
        request, 404, _("Not found"), _("This page does not exist, or you may not see it.")
    )


def forbidden(request, exception=None):
    return _page(request, 403, _("Not allowed"), _("Your account may not do this."))


def bad_request(request, exception=None):
    return _page(request, 400, _("Bad request"), _("The request could not be understood."))


def server_error(request):
    return _page(request, 500, _("Something went wrong"), _("Please try again in a minute."))
