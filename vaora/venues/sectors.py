"""Sectors: the second axis of oversight (the first is territory). A department or a board
oversees the organisations of a sector — defined by organisation kinds (education: schools and
universities), by groups whose membership its board keeps (an industrial park's enterprises),
or both — across the province or within one territory (a commune's education office).

Which organisations a sector holds is decided here, once: `Sector.organisations_q` for the
scoped querysets a sector account reads today, `venues_by_sector` for the rollups of a past
day (a group membership counts from the day it was added until the day it was removed)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vaora.core.models import Place


def _prefix(field: str) -> str:
    return f"{field}__" if field else ""


class Sector(models.Model):
    """A department's or board's share of the province's organisations."""

    code = models.SlugField(max_length=40, unique=True)
    name_vi = models.CharField(max_length=150)
    name_en = models.CharField(max_length=150)
    # Organisation kinds (venues.models.Kind values) that belong to the sector wherever they are.
    kinds = models.JSONField(default=list, blank=True)
    groups = models.ManyToManyField("venues.OrganisationGroup", blank=True, related_name="sectors")
    # A sector limited to part of the province (one commune's education office); None: the
    # whole province.
    territory = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name_vi

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    def clean(self) -> None:
        from vaora.venues.models import Kind

        unknown = [k for k in self.kinds or [] if k not in Kind.values]
        if not isinstance(self.kinds, list) or unknown:
            raise ValidationError({"kinds": _("A list of organisation kinds, from: %(kinds)s")
                                   % {"kinds": ", ".join(Kind.values)}})  # fmt: skip

    def organisations_q(self, field: str = "", day: datetime.date | None = None) -> Q:
        """The organisations the sector holds on `day` (today by default), as a filter on
        `field` (a path to an Organisation: "" for Organisation itself, "organisation",
        "venue__organisation"): its kinds, and its groups' members from the day each was added
        until the day before it was removed, inside its territory."""
        day = day or timezone.localdate()
        prefix = _prefix(field)
        held = Q(**{f"{prefix}kind__in": list(self.kinds)}) if self.kinds else Q(pk__in=[])
        members = GroupMembership.objects.filter(group__sectors=self, since__lte=day).filter(
            Q(until__isnull=True) | Q(until__gt=day)
        ).values("organisation_id")  # fmt: skip
        held |= Q(**{f"{field or 'pk'}__in": members})
        if self.territory_id is not None:
            held &= Q(**{f"{prefix}commune__path__startswith": self.territory.path})
        return held


class OrganisationGroup(models.Model):
    """Organisations a board directs that no kind describes: an industrial park's enterprises,
    an economic zone, a university system, a coach company's fleet."""

    class Category(models.TextChoices):
        INDUSTRIAL_PARK = "industrial_park", _("Industrial park")
        ECONOMIC_ZONE = "economic_zone", _("Economic zone")
        SCHOOL_SYSTEM = "school_system", _("School or university system")
        FLEET = "fleet", _("Coach company or fleet")
        OTHER = "other", _("Other")

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    # Where its members are (None: anywhere in the province): who besides its boards may see it.
    territory = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation group")
        verbose_name_plural = _("organisation groups")

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """An organisation in a group from `since` until the day before `until` (None: still in).
    Rows are never deleted: they are the audit trail of who added and removed whom, and the
    rollups of past days read who was a member then."""

    group = models.ForeignKey(OrganisationGroup, on_delete=models.CASCADE,
                              related_name="memberships")  # fmt: skip
    organisation = models.ForeignKey("venues.Organisation", on_delete=models.CASCADE,
                                     related_name="memberships")  # fmt: skip
    since = models.DateField()
    until = models.DateField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "organisation"],
                                    condition=Q(until__isnull=True),
                                    name="group_membership_open_once"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["group", "until"], name="group_membership_current")]

    def __str__(self) -> str:
        return f"organisation #{self.organisation_id} in group #{self.group_id}"


def venues_by_sector(day: datetime.date) -> dict[int, list[int]]:
    """venue id → the ids of the sectors holding it on `day` (for the rollups): the one rule,
    Sector.organisations_q, on that day — kinds and territory as they are now, group
    memberships as they were then."""
    from vaora.venues.models import Venue

    held: dict[int, list[int]] = {}
    for sector in Sector.objects.select_related("territory"):
        rule = sector.organisations_q("organisation", day)
        if sector.territory_id is not None:  # the venue too, as an official's area filters it
            rule &= Q(commune__path__startswith=sector.territory.path)
        for venue_id in Venue.objects.filter(rule).values_list("pk", flat=True):
            held.setdefault(venue_id, []).append(sector.pk)
    return held
