"""Oversight: precomputed activity (so a province's dashboards never scan visits per request),
the list of organisations required to register, and reminders (đôn đốc).

The rollups hold counts only, never a person; they outlive the visits they were computed from
(retention purges visits, not statistics)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vaora.core.models import Place
from vaora.core.scoping import in_area, sector_of


class InJurisdictionQuerySet(models.QuerySet):
    """Rows with a `commune` are visible to officials whose jurisdiction holds that commune.
    Figures by commune and kind cannot say which organisations they count: a sector account
    (core/scoping.py) sees none of them and reads its sector's own rollups (SectorDay)."""

    def visible_to(self, user):
        return self.filter(in_area(user, "commune"))


class VenueRowQuerySet(models.QuerySet):
    """Rows about one venue: officials of its commune and of its organisation's sector."""

    def visible_to(self, user):
        return self.filter(in_area(user, "venue__commune", "venue__organisation"))


class VenueDay(models.Model):
    """Check-ins at one venue on one local (Asia/Ho_Chi_Minh) day."""

    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    entries = models.PositiveIntegerField(default=0)
    paper = models.PositiveIntegerField(default=0)
    assisted = models.PositiveIntegerField(default=0)
    # Sum of (received − entered) over paper visits, in seconds: the average upload delay.
    paper_delay_seconds = models.BigIntegerField(default=0)
    last_entry_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["venue", "day"], name="venueday_unique")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"venue #{self.venue_id} on {self.day}: {self.entries}"


class AreaHour(models.Model):
    """Check-ins per commune, venue kind and hour (the start of the UTC hour)."""

    commune = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    hour = models.DateTimeField()
    entries = models.PositiveIntegerField(default=0)

    objects = InJurisdictionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "kind", "hour"], name="areahour_unique")
        ]
        indexes = [models.Index(fields=["hour"])]

    def __str__(self) -> str:
        return f"{self.kind} in #{self.commune_id} at {self.hour:%Y-%m-%d %H}h: {self.entries}"


class AreaDay(models.Model):
    """Per commune, venue kind and local day: check-ins, venues registered by then and venues
    with at least one check-in that day (the active share)."""

    commune = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    day = models.DateField()
    entries = models.PositiveIntegerField(default=0)
    paper = models.PositiveIntegerField(default=0)
    assisted = models.PositiveIntegerField(default=0)
    registered_venues = models.PositiveIntegerField(default=0)
    active_venues = models.PositiveIntegerField(default=0)

    objects = InJurisdictionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "kind", "day"], name="areaday_unique")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.kind} in place #{self.commune_id} on {self.day}: {self.entries}"


class SectorDay(models.Model):
    """AreaDay for one sector: its venues' check-ins per commune, kind and local day, with the
    venues it held that day (group members as they were then) and how many had a check-in."""

    sector = models.ForeignKey("venues.Sector", on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    day = models.DateField()
    entries = models.PositiveIntegerField(default=0)
    paper = models.PositiveIntegerField(default=0)
    assisted = models.PositiveIntegerField(default=0)
    registered_venues = models.PositiveIntegerField(default=0)
    active_venues = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sector", "commune", "kind", "day"],
                                               name="sectorday_unique")]  # fmt: skip
        indexes = [models.Index(fields=["sector", "day"], name="sectorday_sector_day")]

    def __str__(self) -> str:
        return f"sector #{self.sector_id}, {self.kind} in #{self.commune_id} on {self.day}"


class SectorHour(models.Model):
    """AreaHour for one sector: check-ins per commune and hour (the start of the UTC hour)."""

    sector = models.ForeignKey("venues.Sector", on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sector", "commune", "hour"],
                                               name="sectorhour_unique")]  # fmt: skip
        indexes = [models.Index(fields=["hour"], name="sectorhour_hour")]

    def __str__(self) -> str:
        return f"sector #{self.sector_id} in #{self.commune_id} at {self.hour:%Y-%m-%d %H}h"


class DeclarationDay(models.Model):
    """Health declarations (all, and with symptoms) per home commune, and travel declarations
    into the province per origin province, per local day."""

    class Kind(models.TextChoices):
        HEALTH = "health", _("Health declarations")
        SYMPTOMS = "symptoms", _("Health declarations with symptoms")
        TRAVEL_IN = "travel_in", _("Travel declarations into the province")

    commune = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    day = models.DateField()
    # Travel: the origin province's code ("" for health declarations).
    origin = models.CharField(max_length=2, blank=True)
    count = models.PositiveIntegerField(default=0)

    objects = InJurisdictionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "kind", "day", "origin"], name="declarationday_unique"
            )
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.kind} in place #{self.commune_id} on {self.day}: {self.count}"


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    SILENT = "silent", _("Silent")
    NEVER_USED = "never_used", _("Never used")
    LATE_UPLOADER = "late_uploader", _("Late uploader")
    RESTING = "resting", _("Quiet, like its peers")


class Outlier(models.TextChoices):
    NONE = "", _("As expected")
    BELOW = "below", _("Far below expected")
    ABOVE = "above", _("Far above expected")


class VenueActivity(models.Model):
    """One row per venue, recomputed by the rollup job: what the compliance list sorts and
    filters on."""

    venue = models.OneToOneField(
        "venues.Venue", primary_key=True, on_delete=models.CASCADE, related_name="activity"
    )
    commune = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    scans_today = models.PositiveIntegerField(default=0)
    scans_7d = models.PositiveIntegerField(default=0)
    scans_30d = models.PositiveIntegerField(default=0)
    scans_ever = models.PositiveIntegerField(default=0)
    last_scan_at = models.DateTimeField(null=True)
    hand_entered_share = models.FloatField(null=True)  # paper + assisted, last 30 days
    paper_delay_hours = models.FloatField(null=True)  # average, last 30 days
    expected_7d = models.FloatField(null=True)  # median of peers (same kind and size)
    outlier = models.CharField(max_length=5, choices=Outlier.choices, blank=True)
    status = models.CharField(max_length=14, choices=Status.choices)
    # When it last became silent or never-used (for the daily digest of *new* silent venues).
    silent_since = models.DateTimeField(null=True)
    computed_at = models.DateTimeField()

    objects = VenueRowQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["commune", "status"]),
            models.Index(fields=["status", "kind"]),
        ]

    def __str__(self) -> str:
        return f"venue #{self.venue_id}: {self.status}"


class RollupState(models.Model):
    """Where the rollup job stopped: visits and declarations with a larger id are new. The run
    before's range is read once more (`previous_id`): a row whose transaction committed after
    a later row's was not visible then."""

    name = models.CharField(max_length=30, unique=True)
    last_id = models.BigIntegerField(default=0)
    previous_id = models.BigIntegerField(default=0)
    # Visits: how many of (previous_id, last_id] were visible when last_id was set; counted
    # again at the next run, a difference means a late commit (or a deletion) in that range.
    previous_count = models.BigIntegerField(default=0)
    finished_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.name} up to #{self.last_id}"


class ChangedDay(models.Model):
    """A local day whose visits changed other than by new visits (a person corrected their
    times): the next rollup recomputes it whole (oversight/rollups.py)."""

    day = models.DateField(unique=True)
    marked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"visits of {self.day} changed"


class RequiredQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A sector account sees its sector's list (the schools an education department must
        see registered); everyone else the territory's list in their area."""
        sector = sector_of(user)
        if sector is not None:
            # The list is the sector's own: its rows are not organisations the sector holds
            # (they may not have registered yet), so only the territory narrows it.
            return self.filter(sector=sector,
                               commune__path__startswith=user.jurisdiction.path)  # fmt: skip
        return self.filter(in_area(user, "commune"), sector__isnull=True)


class RequiredOrganisation(models.Model):
    """An organisation that must register (e.g. from the business registry), matched to the
    registered ones by registry code (mã số thuế). The territory's list (no sector) and each
    sector's list are kept apart: the same school may be on both."""

    registry_code = models.CharField(max_length=20)
    sector = models.ForeignKey("venues.Sector", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")  # fmt: skip
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, blank=True)
    commune = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    loaded_at = models.DateTimeField(auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RequiredQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["registry_code"], condition=Q(sector__isnull=True),
                                    name="required_code_once_in_territory_list"),
            models.UniqueConstraint(fields=["sector", "registry_code"],
                                    condition=Q(sector__isnull=False),
                                    name="required_code_once_in_sector_list"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class ReminderTemplate(models.Model):
    """A reminder's text, edited by officials; `{organisation}` and `{venue}` are filled in."""

    key = models.CharField(max_length=20, unique=True)  # "silent", "never_used", "late_uploader"
    text_vi = models.TextField()
    text_en = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"reminder template {self.key}"


class Reminder(models.Model):
    """One reminder to one venue's organisation, and whether the venue scanned afterwards."""

    venue = models.ForeignKey("venues.Venue", on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_at_send = models.CharField(max_length=14, choices=Status.choices)
    text = models.TextField()
    recipients = models.PositiveSmallIntegerField(default=0)  # messages put in the outbox
    effective_at = models.DateTimeField(null=True)  # first scan after the reminder

    objects = VenueRowQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["effective_at", "sent_at"])]

    def __str__(self) -> str:
        return f"reminder #{self.pk} to venue #{self.venue_id}"


class DutyApproval(models.Model):
    """A system administrator's change to a health account, carried out only once a second
    administrator approves it (oversight/duties.py, threat 27)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Create a health account")
        RESET_SECOND_FACTOR = "reset_second_factor", _("Reset a health official's second factor")
        RESEND_ACTIVATION = "resend_activation", _("Send a health official a new activation link")
        REACTIVATE = "reactivate", _("Turn a health account back on")

    action = models.CharField(max_length=24, choices=Action.choices)
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="duty_approvals")  # fmt: skip
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")  # fmt: skip
    requested_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"
