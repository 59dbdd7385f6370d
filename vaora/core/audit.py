"""The one helper that writes audit events."""

from vaora.core.models import AuditEvent


def record(
    actor,
    action: str,
    *,
    target=None,
    purpose: str = "",
    row_count: int | None = None,
    subject_person_id: int | None = None,
    details: dict | None = None,
) -> AuditEvent:
    """Appends an audit event. `actor` is an Account (or None for the system); `target` a model
    instance whose type and id are kept. Never put personal values in `details`: ids only."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        # The command line acts through an unsaved "system" account: named, not linked.
        actor=actor if authenticated and actor.pk is not None else None,
        actor_label=actor.get_username() if authenticated else "system",
        role=getattr(actor, "role", "") if authenticated else "",
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        purpose=purpose,
        row_count=row_count,
        subject_person_id=subject_person_id,
        details=details or {},
    )
