"""A visit's person, venue, zone and recording account carry no database constraint (decision
0028: PostgreSQL checked each by a trigger per row). Integrity is kept by the two sides meeting
on a row lock instead:

- the check-in engine, the only writer of visits, reads its batch's persons in one statement
  and its places and recorders in another, refuses a request whose one is gone, and holds them
  until it commits (persons FOR UPDATE, the others FOR KEY SHARE, on PostgreSQL);
- a deletion of one of them — a service, the admin, a cascade from a venue to its zones —
  locks the row first (`pre_delete`, which Django's collector sends before it runs the
  cascades and updates it collected). It waits there for any batch holding the row; the
  collector's deletes and updates, run after, then see that batch's visits (a person's go with
  them, a recorder's are cleared). Protection (a venue or zone with visits cannot be deleted)
  was checked when the collector collected, maybe before that batch committed: it is checked
  again once the row is held.

On SQLite the deletion's transaction holds the database's write lock, so no batch can commit
between this check and the delete. The retention purge deletes persons without Django's
collector and locks and looks again itself (people/retention.py)."""

from django.db.models import PROTECT, ProtectedError
from django.db.models.signals import pre_delete

from vaora.visits.models import Visit

# The relations of a visit that a deletion must wait for, by the model they point to.
RELATIONS = [Visit._meta.get_field(name) for name in ("person", "venue", "zone", "recorded_by")]


def hold_then_check(sender, instance, using: str, **kwargs) -> None:
    """Locks the row about to be deleted, then refuses if a visit now protects it."""
    rows = sender._base_manager.db_manager(using).select_for_update()
    list(rows.filter(pk=instance.pk).values_list("pk", flat=True))
    for field in RELATIONS:
        if field.related_model is not sender or field.remote_field.on_delete is not PROTECT:
            continue
        visits = Visit.objects.for_system("a deletion checks what protects the row").using(using)
        visits = visits.filter(**{field.attname: instance.pk})
        if visits.exists():
            raise ProtectedError(
                f"Cannot delete {sender.__name__} {instance.pk}: visits refer to it.",
                set(visits[:10]),
            )


def connect() -> None:
    for field in RELATIONS:
        pre_delete.connect(hold_then_check, sender=field.related_model,
                           dispatch_uid=f"vaora-visits-hold-{field.name}")  # fmt: skip
