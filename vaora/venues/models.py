"""Organisations and the venues where people enter and leave."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vaora.core.models import Place
from vaora.core.scoping import by_organisation


class Kind(models.TextChoices):
    AGENCY = "agency", _("Agency or office")
    FACTORY = "factory", _("Factory")
    SCHOOL = "school", _("School")
    UNIVERSITY = "university", _("University")
    HOSPITAL = "hospital", _("Hospital")
    CLINIC = "clinic", _("Clinic")
    MARKET = "market", _("Market")
    SHOP = "shop", _("Shop")
    RESTAURANT = "restaurant", _("Restaurant")
    PLACE_OF_WORSHIP = "place_of_worship", _("Place of worship")
    BUS_STATION = "bus_station", _("Bus station")
    DRIVING_SCHOOL = "driving_school", _("Driving school")
    VEHICLE = "vehicle", _("Vehicle")
    OTHER = "other", _("Other")


# How long a visit lasts when nobody checks out, by kind (minutes).
DEFAULT_STAY_MINUTES = {
    Kind.AGENCY: 9 * 60,
    Kind.FACTORY: 9 * 60,
    Kind.SCHOOL: 8 * 60,
    Kind.UNIVERSITY: 8 * 60,
    Kind.HOSPITAL: 4 * 60,
    Kind.CLINIC: 2 * 60,
    Kind.MARKET: 60,
    Kind.SHOP: 30,
    Kind.RESTAURANT: 90,
    Kind.PLACE_OF_WORSHIP: 2 * 60,
    Kind.BUS_STATION: 60,
    Kind.DRIVING_SCHOOL: 4 * 60,
    Kind.VEHICLE: 3 * 60,
    Kind.OTHER: 2 * 60,
}

# Kinds whose guest lists reveal health or belief: stricter access and shorter retention later.
SENSITIVE_KINDS = frozenset({Kind.PLACE_OF_WORSHIP, Kind.CLINIC})


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrganisationQuerySet":
        return self.filter(by_organisation(user, "pk", "commune"))


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Tax code (mã số thuế) or agency code; optional, unique when given.
    registry_code = models.CharField(max_length=20, blank=True)
    commune = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    province_code = models.CharField(max_length=2, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registry_code"],
                condition=~models.Q(registry_code=""),
                name="organisation_unique_registry_code",
            )
        ]
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.province_code = self.commune.province_code
        super().save(*args, **kwargs)


class VenueQuerySet(models.QuerySet):
    def visible_to(self, user) -> "VenueQuerySet":
        return self.filter(by_organisation(user, "organisation_id", "commune"))


class Venue(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    address = models.CharField(max_length=300, blank=True)
    commune = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    province_code = models.CharField(max_length=2, db_index=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    default_stay_minutes = models.PositiveIntegerField()
    sensitive = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["commune", "kind"])]
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def apply_kind_defaults(self) -> None:
        """Fills the fields that follow from the kind and commune (also used before bulk inserts,
        which bypass save())."""
        if not self.default_stay_minutes:
            self.default_stay_minutes = DEFAULT_STAY_MINUTES[Kind(self.kind)]
        if self.kind in SENSITIVE_KINDS:
            self.sensitive = True
        self.province_code = self.commune.province_code

    def save(self, *args, **kwargs):
        self.apply_kind_defaults()
        super().save(*args, **kwargs)
