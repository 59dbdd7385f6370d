"""What people keeps, and for how long: declarations for the retention period; one-time codes
a day (they only feed rate limits after minutes); pass revocations until the passes expire;
and a person without an account once nothing of theirs is left (threat 18: a walk-in's name,
phone and CCCD must not outlive their visits)."""

import datetime

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from vaora.core import bulk
from vaora.core.retention import cutoff
from vaora.people import passes
from vaora.people.models import HealthDeclaration, OtpChallenge, Person, TravelDeclaration


def purge(now) -> dict[str, int]:
    before = cutoff(now)
    return {
        "health_declarations": HealthDeclaration.objects.filter(declared_at__lt=before).delete()[0],
        "travel_declarations": TravelDeclaration.objects.filter(declared_at__lt=before).delete()[0],
        "otp_challenges": OtpChallenge.objects.filter(
            created_at__lt=now - datetime.timedelta(days=1)).delete()[0],
        "pass_revocations": passes.forget_expired(now),
    }  # fmt: skip


def purge_forgotten_persons(now) -> dict[str, int]:
    """Deletes persons who have no account, are nobody's guardian and no account holder's
    dependant, were created before the retention cutoff, and are referred to by nothing any
    more — whatever app refers to persons: every relation pointing at Person is checked, so a
    new app's data keeps its persons without editing this. Runs after every app's purge
    (core.hooks "retention.after"), when their old rows are gone."""
    forgotten = Person.objects.for_system("retention purge").filter(
        created_at__lt=cutoff(now), guardian__isnull=True
    )
    for relation in Person._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete:
            related = relation.related_model._default_manager
            pointing = related.filter(**{relation.field.name: OuterRef("pk")})
            forgotten = forgotten.filter(~Exists(pointing))
    ids = list(forgotten.values_list("pk", flat=True))
    deleted = 0
    for chunk in bulk.chunks(ids, 500):
        with transaction.atomic():
            # Locked, then asked again: a check-in batch holding one of them (the engine locks
            # its persons until it commits) goes first, and the visit it stored keeps that
            # person — visits have no database constraint to refuse the delete (decision 0028).
            locked = Person.objects.for_system("retention purge").select_for_update()
            list(locked.filter(pk__in=chunk).order_by("pk").values_list("pk", flat=True))
            still = list(forgotten.filter(pk__in=chunk).values_list("pk", flat=True))
            deleted += _delete(still)
    return {"persons_without_data": deleted}


def _delete(ids: list[int]) -> int:
    """No account ever held a check-in pass for them: a plain delete, without the per-person
    revocation the Person signal would write (a paper import can leave 50,000 of them)."""
    if ids:
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Person._meta.db_table} WHERE id IN ({marks})", ids)  # noqa: S608
    return len(ids)
