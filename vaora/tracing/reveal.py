"""Who may see a contact's name and phone — the one rule every way personal values leave the
server goes through: the case page, the API's pages, exports, notices (threats 8 and 25).

- A closed case is read-only history: counts and the audit trail, no names or phones.
- An open case with at most VAORA_APPROVAL_THRESHOLD contacts shows them all.
- A larger one shows, without a second official's approval, the same fixed set of at most the
  threshold of its contacts (the earliest found), whatever the filters, pages or order asked
  for; the rest are masked (`Ng*** V** A`, `091*****678`). Once a second health official
  approves a reveal for this official, all of them, for a day (alerts.approve_reveal).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from vaora.people.identity import mask_phone
from vaora.tracing.models import Case, Contact, RevealRequest


@dataclass(frozen=True)
class Shown:
    """What one contact's row may show."""

    name: str
    phone: str | None
    masked: bool


def threshold() -> int:
    return settings.VAORA_APPROVAL_THRESHOLD


def mask_name(name: str) -> str:
    """Nguyễn Văn An → Ng*** V** A: a team may tell rows apart, not who they are."""
    words = name.split()
    if not words:
        return ""
    head = [w[:2] + "*" * max(len(w) - 2, 1) if len(w) > 2 else w[0] + "*" for w in words[:-1]]
    return " ".join([*head, words[-1][0]])


def approved_for(user, case: Case) -> bool:
    """Whether a second official approved a reveal of this case for this official, today."""
    from vaora.tracing.alerts import REVEAL_VALID

    if not user.pk:
        return True  # the command line: the installation's operator, audited as "system"
    since = timezone.now() - REVEAL_VALID
    return (
        RevealRequest.objects.for_system("this official's own requests")
        .filter(case=case, requested_by=user, approved_at__gte=since)
        .exists()
    )


def revealed_ids(user, case: Case) -> set[int] | None:
    """The contacts this official may see identified: None for all of them, else a set."""
    if case.status != Case.Status.OPEN:
        return set()
    limit = threshold()
    first = list(case.contacts.order_by("pk").values_list("pk", flat=True)[: limit + 1])
    if len(first) <= limit or approved_for(user, case):
        return None
    return set(first[:limit])


def shown(contact: Contact, revealed: set[int] | None) -> Shown:
    person = contact.person
    phone = person.phone or (person.guardian.phone if person.guardian_id else None)
    if revealed is None or contact.pk in revealed:
        return Shown(person.name, phone, False)
    return Shown(mask_name(person.name), mask_phone(phone) if phone else None, True)
