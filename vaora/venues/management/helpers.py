"""What the venue commands share: finding the organisation, and acting as the system."""

from django.core.management.base import CommandError

from vaora.core.roles import Role
from vaora.venues.models import Organisation


def find_organisation(reference: str) -> Organisation:
    organisation = Organisation.objects.filter(registry_code=reference).first()
    if organisation is None and reference.isdigit():
        organisation = Organisation.objects.filter(pk=int(reference)).first()
    if organisation is None:
        raise CommandError(f"no organisation with id or code {reference!r}")
    return organisation


def system_actor():
    """The command line is run by the operator of the installation: it acts as an
    administrator, and the audit log names it 'system' (no account)."""
    from django.contrib.auth import get_user_model

    return get_user_model()(username="system", role=Role.ADMIN, is_active=True)
