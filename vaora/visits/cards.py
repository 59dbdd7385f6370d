"""Checking in a visitor without a phone from the QR on their citizen identity card: one scan
at the gate, nothing typed. The card is read strictly (people/idcard.py), which keeps only the
number, the name and the birth year; the person is found by the number's blind index — a
citizen's account, a dependant, an earlier walk-in or a paper-register line, whichever door
met them first — or created as a walk-in they can later claim; then the entry or exit goes
through the one check-in engine like any other scan."""

from vaora.core.crypto import blind_indexes
from vaora.core.errors import VaoraError
from vaora.people.idcard import Card, masked_name
from vaora.people.identity import normalise_phone
from vaora.people.models import Person
from vaora.venues.models import NEEDS_BIRTH_YEAR, Venue
from vaora.visits.models import Source

FINDING = "the person an identity card names"


def person_of_card(card: Card, venue: Venue, phone: str = "") -> Person:
    """The person with this identity number, or a new walk-in. A phone given at the gate is
    added when the person has none (never replaces one); the birth year is kept only where
    the venue's kind needs it."""
    person = Person.objects.for_system(FINDING).filter(
        cccd_index__in=blind_indexes("cccd", card.number)).first()  # fmt: skip
    phone = normalise_phone(phone) if phone.strip() else ""
    year = card.birth_year if venue.kind in NEEDS_BIRTH_YEAR else None
    if person is None:
        return Person.objects.create(name=card.name, cccd=card.number, phone=phone or None,
                                     birth_year=year)  # fmt: skip
    changed = []
    if phone and not person.phone:
        person.phone = phone
        changed.append("phone")
    if year and not person.birth_year:
        person.birth_year = year
        changed.append("birth_year")
    if changed:
        person.save()
    return person


def reachable(person: Person) -> bool:
    """Whether tracing can reach this person: their phone, or their guardian's."""
    return bool(person.phone or (person.guardian_id and person.guardian.phone))


def check_in_card(staff, venue: Venue, card: Card, *, direction: str, zone=None, at=None,
                  client_id=None, phone: str = ""):  # fmt: skip
    """An entry or exit recorded from a card; the answer carries the masked name (`Nguyễn V.
    A.`) and whether the person can be reached."""
    from vaora.visits import staff as gate

    if direction not in ("in", "out"):
        raise VaoraError("direction_invalid", "Chỉ vào hoặc ra.", "In or out only.", 422)
    person = person_of_card(card, venue, phone)
    result = gate.record(staff, venue, person, direction=direction, zone=zone, at=at,
                         client_id=client_id, source=Source.ASSISTED)  # fmt: skip
    result.name = masked_name(card.name)
    result.reachable = reachable(person)
    return result
