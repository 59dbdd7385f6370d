"""What each audited action means, in words a citizen reads on "Who accessed my data" (the
codes stay in the log itself and in downloads). An action without a label shows its code."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "person.read": _("Read your details"),
    "person.assisted_sign_up": _("Signed you up (helper)"),
    "case.opened": _("Opened a case"),
    "case.closed": _("Closed a case"),
    "case.timeline_read": _("Read the places you visited (case)"),
    "case.contacts_read": _("Read the contacts of a case"),
    "case.contacts_exported": _("Downloaded the contacts of a case"),
    "case.traced": _("Traced the contacts of a case"),
    "case.contact_state": _("Updated your follow-up as a contact"),
    "case.window_edited": _("Changed the period of a case"),
    "case.sensitive_included": _("Included visits to sensitive places (case)"),
    "reveal.requested": _("Asked to see your full contact details"),
    "reveal.approved": _("Approved seeing your full contact details"),
    "notices.prepared": _("Prepared a notice to you"),
    "notices.approved": _("Approved a notice to you"),
    "visit.correct": _("Corrected a visit"),
    "paper.imported": _("Entered you from a paper register"),
    "citizen.claimed_walk_in": _("Joined your visits entered at a gate to your account"),
}


def label(action: str) -> str:
    return str(LABELS.get(action, action))
