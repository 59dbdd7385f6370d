"""The roles of vaora's users; what each may do is decided in services and scoped querysets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    VENUE_STAFF = "venue_staff", _("Venue staff")
    ORG_MANAGER = "org_manager", _("Organisation manager")
    OVERSIGHT = "oversight", _("Oversight official")
    HEALTH = "health", _("Health official")
    ADMIN = "admin", _("System administrator")


OFFICIAL_ROLES = frozenset({Role.OVERSIGHT, Role.HEALTH})
ORGANISATION_ROLES = frozenset({Role.VENUE_STAFF, Role.ORG_MANAGER})
