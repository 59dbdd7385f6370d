"""A visit: one presence of one person at one venue (and zone)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vaora.core.roles import ORGANISATION_ROLES, Role
from vaora.core.scoped import ScopedQuerySet, scoped_manager
from vaora.core.scoping import NOTHING, is_admin, role_of
from vaora.people.models import Person
from vaora.venues.models import Venue, Zone
from vaora.visits.rules import LATE_AFTER


class Source(models.TextChoices):
    SELF_SCAN = "self_scan", _("Scanned by the visitor")
    STAFF_SCAN = "staff_scan", _("Scanned by staff")
    ASSISTED = "assisted", _("Entered by staff")
    PAPER = "paper", _("Paper register")
    OFFLINE = "offline", _("Queued offline")


class VisitQuerySet(ScopedQuerySet):
    def visible_to(self, user) -> "VisitQuerySet":
        """A citizen: their own and their dependants' visits. A venue's staff and managers: the
        visitors they entered by hand or from paper at their organisation's venues (self-scans
        are for health officials, inside a case: tracing reads them as system code). Every other
        role: none. Administrators: all."""
        role = role_of(user)
        if is_admin(user):
            return self.scoped()
        if role == Role.CITIZEN and user.person_id:
            family = models.Q(person_id=user.person_id) | models.Q(
                person__guardian_id=user.person_id)  # fmt: skip
            return self.filter(family).scoped()
        if role in ORGANISATION_ROLES:
            return self.filter(venue__organisation_id=user.organisation_id,
                               source__in=[Source.ASSISTED, Source.PAPER]).scoped()  # fmt: skip
        return self.filter(NOTHING).scoped()


class Visit(models.Model):
    """`ends_at` is the effective end, kept current so tracing reads columns, not rules: the
    check-out, else entry + the venue's default stay, else the next check-in elsewhere.
    `client_id` is made by the device: a retry of the same scan is the same visit."""

    # No single-column indexes on person and venue: the (person, entered_at) and
    # (venue, entered_at) indexes below serve those lookups, and every index slows the inserts
    # that paper registers and gate queues make by the million.
    # No database constraints either (decision 0028): PostgreSQL checks one by a trigger per
    # row (35 % of a paper import's time). The check-in engine, the only writer, checks and
    # locks each batch's persons (one statement) and places and recorders (another), and a
    # deletion of one of them waits for that lock and looks again (visits/integrity.py).
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="visits",
                               db_index=False, db_constraint=False)  # fmt: skip
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="visits",
                              db_index=False, db_constraint=False)  # fmt: skip
    zone = models.ForeignKey(Zone, null=True, blank=True, on_delete=models.PROTECT,
                             db_index=False, db_constraint=False)  # indexed below  # fmt: skip
    province_code = models.CharField(max_length=2)
    entered_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField()
    source = models.CharField(max_length=12, choices=Source.choices)
    client_id = models.UUIDField(unique=True)
    checkout_client_id = models.UUIDField(null=True, blank=True)  # unique when set (below)
    scanned_at = models.DateTimeField()  # what the device said
    received_at = models.DateTimeField()  # when the server got it
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_constraint=False,
    )  # fmt: skip
    corrected = models.BooleanField(default=False)

    objects = scoped_manager(VisitQuerySet)  # fails closed: vaora/core/scoped.py
    rows = models.Manager()  # Django's own machinery (forms' uniqueness checks, deletion)

    class Meta:
        default_manager_name = "rows"
        ordering = ["-entered_at", "-id"]
        indexes = [
            # Covering for the tracer: "who was at this venue around then" is answered from the
            # index alone (ten times faster than fetching each row from a 10M-row table). It
            # leads with the province the tracer names (one node under Citus: decision 0018).
            # The visit's id rides along: SQLite keeps the rowid in every index entry anyway
            # (Django sends INCLUDE to PostgreSQL only), PostgreSQL needs it named or fetches
            # each row from the table to read it.
            models.Index(
                fields=["province_code", "venue", "entered_at", "ends_at", "person", "zone"],
                include=["id"],
                name="visit_province_venue_covers",
            ),  # fmt: skip
            models.Index(fields=["person", "entered_at"]),
            models.Index(fields=["province_code", "entered_at"]),
            # Most visits have no zone and no check-out id: indexing only the rows that do keeps
            # these indexes small and inserts fast.
            models.Index(
                fields=["zone"], condition=models.Q(zone__isnull=False), name="visit_zone_when_set"
            ),  # fmt: skip
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["checkout_client_id"],
                condition=models.Q(checkout_client_id__isnull=False),
                name="visit_unique_checkout_client_id",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("entered_at")),
                name="visit_ends_after_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"Visit #{self.pk}"

    @property
    def is_late(self) -> bool:
        return self.received_at - self.scanned_at > LATE_AFTER

    def is_open(self, at) -> bool:
        return self.left_at is None and self.ends_at > at
