"""The roles of vaora's users; what each may do is decided in services and scoped querysets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    VENUE_STAFF = "venue_staff", _("Venue staff")
    ORG_MANAGER = "org_manager", _("Organisation manager")
    OVERSIGHT = "oversight", _("Oversight official")
    HEALTH = "health", _("Health official")
    HELPER = "helper", _("Volunteer helper")
    ADMIN = "admin", _("System administrator")


# Roles that act within a jurisdiction (a subtree of places). Helpers (unions, youth
# volunteers) register organisations in theirs on the owners' behalf.
OFFICIAL_ROLES = frozenset({Role.OVERSIGHT, Role.HEALTH, Role.HELPER})
# Roles that must pass a second factor (TOTP) at sign-in.
SECOND_FACTOR_ROLES = frozenset({Role.OVERSIGHT, Role.HEALTH, Role.ADMIN})
ORGANISATION_ROLES = frozenset({Role.VENUE_STAFF, Role.ORG_MANAGER})
