"""What a person may see and take of their own data: visits, declarations, and every access to
their data by staff or officials (from the audit log); and deleting their account."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from vaora.core import audit, hooks
from vaora.core.exports import to_csv
from vaora.core.models import AuditEvent
from vaora.people.models import HealthDeclaration, Person, TravelDeclaration


def _family(person: Person) -> list[Person]:
    return [person, *person.dependants.all()]


def visits(person: Person):
    """Their visits (the visits app answers: core.hooks "person.visits")."""
    return hooks.answer("person.visits", _family(person))


def accesses(person: Person):
    """Reads of this person's (or their dependants') data by anyone else."""
    ids = [p.pk for p in _family(person)]
    return AuditEvent.objects.filter(subject_person_id__in=ids).exclude(actor__person_id=person.pk)


GROUP_MINUTES = 10


def grouped_accesses(person: Person, limit: int = 100) -> list[dict]:
    """The access log as a person reads it: the same official doing the same thing for the same
    purpose within GROUP_MINUTES is one line with a count (one trace reads a person many
    times), and each action is said in words (core.audit_labels)."""
    from vaora.core.audit_labels import label

    lines: list[dict] = []
    for event in accesses(person).order_by("-at", "-id")[: limit * 20]:
        last = lines[-1] if lines else None
        same = last is not None and (last["actor"], last["action"], last["purpose"]) == (
            event.actor_label, event.action, event.purpose)  # fmt: skip
        if same and (last["first"] - event.at).total_seconds() <= GROUP_MINUTES * 60:
            last["first"], last["count"] = event.at, last["count"] + 1
            continue
        if len(lines) == limit:
            break
        lines.append({"first": event.at, "last": event.at, "count": 1, "actor": event.actor_label,
                      "role": event.get_role_display(), "action": event.action,
                      "label": label(event.action), "purpose": event.purpose})  # fmt: skip
    return lines


def findings(person: Person):
    """Where a trace found this person (or a dependant) as a contact: their visit data was
    read for that case, and they are told so (tracing answers: "person.findings")."""
    return hooks.answer("person.findings", _family(person))


def export(person: Person) -> dict:
    """Everything we hold about the person and their dependants, as plain data."""
    return {
        "person": {"name": person.name, "phone": person.phone, "cccd": person.cccd,
                   "birth_year": person.birth_year,
                   "home_commune": person.home_commune.code if person.home_commune else None},
        "dependants": [{"name": d.name, "birth_year": d.birth_year}
                       for d in person.dependants.all()],
        "visits": [{"person": v.person.name, "venue": v.venue.name,
                    "zone": v.zone.name if v.zone else None, "entered_at": v.entered_at,
                    "left_at": v.left_at, "ends_at": v.ends_at, "source": v.source}
                   for v in visits(person)],
        "health_declarations": [
            {"declared_at": d.declared_at, "symptoms": d.symptoms,
             "contact_with_case": d.contact_with_case, "in_outbreak_area": d.in_outbreak_area,
             "vaccine_doses": d.vaccine_doses}
            for d in HealthDeclaration.objects.filter(person=person)],
        "travel_declarations": [
            {"declared_at": d.declared_at, "from": d.from_commune.code, "to": d.to_commune.code,
             "departure_date": d.departure_date, "means": d.means,
             "transport_ref": d.transport_ref, "purpose": d.purpose}
            for d in TravelDeclaration.objects.filter(person=person).select_related(
                "from_commune", "to_commune")],
        "accesses": [{"at": a.at, "by": a.actor_label, "role": a.role, "action": a.action,
                      "purpose": a.purpose} for a in accesses(person)],
        "found_as_contact": [{"at": c.found_at, "case": c.case_id, "degree": c.degree,
                              "venue": c.venue.name if c.venue else c.transport_ref}
                             for c in findings(person)],
    }  # fmt: skip


def export_json(person: Person) -> bytes:
    return json.dumps(export(person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()


def export_visits_csv(person: Person) -> bytes:
    header = ["nguoi", "dia_diem", "khu_vuc", "vao", "ra", "ket_thuc", "nguon"]
    rows = ([v.person.name, v.venue.name, v.zone.name if v.zone else "", v.entered_at.isoformat(),
             v.left_at.isoformat() if v.left_at else "", v.ends_at.isoformat(), v.source]
            for v in visits(person))  # fmt: skip
    return to_csv(header, rows)


@transaction.atomic
def delete_account(account) -> None:
    """Deletes the person, dependants, visits and declarations. The audit log keeps its rows
    (who read what, with ids only) as the law on access records requires."""
    person = account.person
    audit.record(account, "citizen.delete_account", subject_person_id=person.pk if person else None)
    account.delete()
    if person is not None:
        person.delete()
