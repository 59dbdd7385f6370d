"""Pages for venue staff: the gate scanner, checking in visitors without a phone, and live
occupancy. Business rules live in staff.py; these views only render and redirect."""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from vaora.core import exports
from vaora.core.errors import VaoraError
from vaora.core.forms import add_refusal
from vaora.people import idcard
from vaora.venues.services import get_venue, is_gate_staff, staff_venue
from vaora.visits import staff


def _messages() -> dict:
    return {
        "recorded_in": _("Entry recorded"), "recorded_out": _("Exit recorded"),
        "duplicate": _("Already recorded"), "refused": _("Not accepted"),
        "queued_in": _("Entry saved on this device"), "queued_out": _("Exit saved on this device"),
        "verified_offline": _("Genuine code. It will be sent when the network returns."),
        "unverified": _("Could not check the code here; the server will check it when the "
                        "network returns."),
        "pending": _("%(n)s scans waiting to be sent"),
        "synced": _("Sent: %(n)s saved scans have reached vaora."),
        "sync_refused": _("%(n)s saved scans were refused by the server when sent (a code no "
                          "longer valid, or a card that could not be read); scan again."),
        "malformed": _("This is not a vaora code."),
        "not_personal": _("This is a venue poster, not a visitor's personal code."),
        "unknown_key": _("The code is signed with a key vaora does not accept."),
        "bad_signature": _("The code has been altered or forged."),
        "expired": _("The travel declaration has expired."),
        "no_camera": _("The camera cannot be used here. Use the code field."),
        "card_unreadable": _("This identity card could not be read. Scan it again."),
        "card_queued": _("Identity card saved on this device (number and name only, "
                         "encrypted); it will be sent when the network returns."),
        "no_way_to_reach": _("No phone to reach this person: ask for one and add it."),
        "declaration_ok": _("Health declaration: no symptoms"),
        "declaration_attention": _("Health declaration: needs attention"),
        "declaration_none": _("No health declaration in the last 24 hours"),
    }  # fmt: skip


@login_required
@require_GET
def gate(request, venue_id: int):
    venue = staff_venue(request.user, venue_id)
    zone = None
    if request.GET.get("zone", "").isdigit():
        zone = staff.zone_of(venue, int(request.GET["zone"]))
    config = {"venue_id": venue.pk, "zone_id": zone.pk if zone else None,
              "csrf": get_token(request), "messages": _messages()}  # fmt: skip
    context = {"venue": venue, "zone": zone, "zones": venue.zones.filter(revoked_at__isnull=True),
               "config": config}  # fmt: skip
    return render(request, "visits/gate.html", context)


class AssistedForm(forms.Form):
    """A scanner pointed at the visitor's identity card types its QR into the name field (a
    keyboard wedge ends with Enter): the card fills name and number, and the rest of what the
    card says is dropped here (people/idcard.py)."""

    name = forms.CharField(label=gettext_lazy("Full name — or scan the identity card"),
                           min_length=2, max_length=idcard.MAX_LENGTH)  # fmt: skip
    phone = forms.CharField(label=gettext_lazy("Phone (if any)"), required=False, max_length=20)
    cccd = forms.CharField(label=gettext_lazy("CCCD number (if any)"), required=False,
                           max_length=20)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autofocus"] = True  # the next visitor, at once

    def clean(self):
        data = super().clean()
        name = data.get("name", "")
        if idcard.looks_like_card(name):
            try:
                card = idcard.read_card(name)
            except VaoraError as error:
                self.add_error("name", f"{error.message_vi} / {error.message_en}")
                return data
            data["name"], data["cccd"] = card.name, card.number
        elif len(name) > 120:
            self.add_error("name", _("At most 120 characters."))
        return data


@login_required
def assisted(request, venue_id: int):
    """Type a visitor in (matched to the same person next time), or pick one entered earlier
    today to check in again or out."""
    venue = staff_venue(request.user, venue_id)
    form = AssistedForm(request.POST or None)
    done, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            done = staff.assisted(request.user, venue, **form.cleaned_data)
            form = AssistedForm()
        except VaoraError as error:
            add_refusal(form, error)
            status = error.status
    now = timezone.now()
    today = list(staff.assisted_today(request.user, venue)[:200])
    for visit in today:
        visit.inside = visit.is_open(now)
    context = {"venue": venue, "form": form, "done": done, "today": today}
    return render(request, "visits/assisted.html", context, status=status)


@login_required
@require_POST
def assisted_again(request, venue_id: int, visit_id: int, direction: str):
    venue = staff_venue(request.user, venue_id)
    visit = staff.assisted_today(request.user, venue).filter(pk=visit_id).first()
    if visit is None or direction not in ("in", "out"):
        raise VaoraError("not_found", "Không tìm thấy lượt vào này.", "This visit was not found.",
                         404)  # fmt: skip
    staff.record(request.user, venue, visit.person, direction=direction,
                 source=visit.source)  # fmt: skip
    return redirect("visits:assisted", venue_id=venue.pk)


@login_required
@require_GET
def occupancy(request, venue_id: int):
    """Counts only (also for officials of the venue's area)."""
    venue = get_venue(request.user, venue_id)
    counts = staff.occupancy(venue)
    hours = [(h, counts["entries_by_hour"].get(h, 0)) for h in range(24)]
    busiest = max([n for _h, n in hours] + [1])
    rows = [(h, n, round(100 * n / busiest)) for h, n in hours if n]
    context = {"venue": venue, "counts": counts, "hours": rows,
               "capacity_left": (venue.capacity - counts["inside_now"]) if venue.capacity else None,
               "is_staff": is_gate_staff(request.user, venue)}  # fmt: skip
    return render(request, "visits/occupancy.html", context)


@login_required
@require_GET
def hand_entered_export(request, venue_id: int, fmt: str):
    """The visitors this venue's own staff entered by hand or from paper on one day: what the
    owner may see (self-scans stay with health officials)."""
    venue = staff_venue(request.user, venue_id)
    try:
        day = datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    visits = staff.hand_entered(request.user, venue, day)
    header = [_("Name"), _("Entered"), _("Left"), _("How")]
    rows = ([v.person.name, timezone.localtime(v.entered_at).strftime("%d/%m/%Y %H:%M"),
             timezone.localtime(v.left_at).strftime("%d/%m/%Y %H:%M") if v.left_at else "",
             v.get_source_display()] for v in visits.iterator())  # fmt: skip
    return exports.response(fmt, header, rows, f"entered-by-staff-{venue.short_code}-{day}")
