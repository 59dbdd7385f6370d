"""The check-in page a poster opens, the confirmation with its big Check out button, and the
citizen's current visits."""

import uuid

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from vaora.core.errorpages import refusal
from vaora.core.errors import VaoraError
from vaora.core.forms import add_refusal
from vaora.core.roles import Role
from vaora.people import services as people
from vaora.venues import tokens
from vaora.visits import services
from vaora.visits.forms import CorrectionForm
from vaora.visits.models import Visit


def _citizen(user) -> bool:
    return user.is_authenticated and user.role == Role.CITIZEN and user.person_id is not None


@require_http_methods(["GET", "POST"])
def scan(request, token: str):
    """GET shows the venue and, for a signed-in citizen, the check-in form; POST checks in."""
    try:
        scanned = tokens.resolve(token)
    except VaoraError as error:
        return refusal(request, error)
    here = request.get_full_path()
    if _citizen(request.user) and (people.needs_profile(request.user)
                                   or people.needs_consent(request.user)):  # fmt: skip
        request.session["after_signin"] = here
        return redirect(
            "people:profile" if people.needs_profile(request.user) else "people:consent"
        )
    person = request.user.person if _citizen(request.user) else None
    if request.method == "POST":
        if person is None:
            return redirect(f"{reverse('people:signin')}?next={here}")
        return _check_in(request, person, scanned)
    inside = None
    if person is not None:
        inside = services.open_visits(person).filter(person=person, venue=scanned.venue).first()
    context = {
        "venue": scanned.venue, "zone": scanned.zone, "person": person, "inside": inside,
        "dependants": person.dependants.all() if person else [], "client_id": uuid.uuid4(),
        "dependants_cache": [{"id": d.pk, "name": d.name} for d in person.dependants.all()]
        if person else [],
        "signin_url": f"{reverse('people:signin')}?next={here}",
        "auto": request.user.is_authenticated and request.user.auto_checkin,
    }  # fmt: skip
    return render(request, "visits/scan.html", context)


def _check_in(request, person, scanned):
    chosen = set(request.POST.getlist("dependants"))
    dependants = [d for d in person.dependants.all() if str(d.pk) in chosen]
    try:
        client_id = uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        client_id = uuid.uuid4()
    try:
        outcomes = services.check_in_family(person, dependants, scanned.venue, scanned.zone,
                                            client_id=client_id)  # fmt: skip
    except VaoraError as error:
        return refusal(request, error)
    return redirect(f"{reverse('visits:current')}?checked_in={outcomes[0].visit.pk}")


@login_required(login_url="people:signin")
def current(request):
    """What the citizen (and their dependants) are checked in to now, with Check out buttons."""
    if not _citizen(request.user):
        return redirect("core:home")
    visits = services.open_visits(request.user.person).order_by("-entered_at")
    recent = (
        Visit.objects.visible_to(request.user)
        .filter(person=request.user.person)
        .select_related("venue")[:10]
    )
    context = {"visits": visits, "recent": recent, "now": timezone.now()}
    return render(request, "visits/current.html", context)


@login_required(login_url="people:signin")
@require_POST
def checkout(request, visit_id: int):
    if not _citizen(request.user):
        return redirect("core:home")
    visit = get_object_or_404(Visit.objects.visible_to(request.user), pk=visit_id)
    try:
        client_id = uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        client_id = None
    try:
        services.check_out(visit, client_id=client_id)
    except VaoraError as error:
        return refusal(request, error)
    return redirect("visits:current")


@login_required(login_url="people:signin")
@require_http_methods(["GET", "POST"])
def correct(request, visit_id: int):
    """A person corrects the times of their own (or a dependant's) visit, within limits."""
    if not _citizen(request.user):
        return redirect("core:home")
    visit = get_object_or_404(
        Visit.objects.visible_to(request.user).select_related("venue"),
        pk=visit_id,
    )
    form = CorrectionForm(request.POST or None, initial={
        "entered_at": timezone.localtime(visit.entered_at).strftime("%Y-%m-%dT%H:%M"),
        "left_at": timezone.localtime(visit.left_at or visit.ends_at).strftime("%Y-%m-%dT%H:%M"),
    })  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_times(request.user, visit, form.cleaned_data["entered_at"],
                                   form.cleaned_data["left_at"])  # fmt: skip
        except VaoraError as error:
            add_refusal(form, error)
        else:
            return redirect("visits:current")
    return render(request, "visits/correct.html", {"form": form, "visit": visit})
