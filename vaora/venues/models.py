"""Organisations, the venues where people enter and leave, and zones inside venues."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vaora.core.fields import VietnameseOrderField
from vaora.core.models import Place
from vaora.core.scoping import by_organisation
from vaora.venues import codes


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

# The longest stay a venue may set (3 days: a dormitory, a long-distance coach). The check-in
# engine bounds every "visit in progress" lookup and every check-out by it (visits/rules.py).
MAX_STAY_MINUTES = 72 * 60

# Kinds whose visitors' birth year is kept when their identity card is scanned (age matters to
# a hospital's or clinic's risk, and tells pupils from staff at a school); elsewhere it is not.
NEEDS_BIRTH_YEAR = frozenset({Kind.HOSPITAL, Kind.CLINIC, Kind.SCHOOL})

# Kinds whose guest lists reveal health or belief: stricter access and shorter retention later.
SENSITIVE_KINDS = frozenset({Kind.PLACE_OF_WORSHIP, Kind.CLINIC})


PLATE = re.compile(r"^\d{2}[A-Z]{1,2}\d?-\d{3,5}(\.\d{2})?$")


def normalise_plate(raw: str) -> str:
    """'37b 12345' / '37B-123.45' → '37B-123.45'; motorbikes '37F1 23456' → '37F1-234.56'.
    Anything that does not parse is returned upper-cased, for validation to refuse."""
    text = re.sub(r"\s+", "", str(raw or "")).upper()
    if "-" in text:
        series, number = text.split("-", 1)
    else:
        match = re.match(r"^(\d{2}[A-Z]{1,2})(\d{4,6})$", text.replace(".", ""))
        if not match:
            return text
        series, number = match.groups()
        if len(number) == 6:  # a series digit (motorbikes) followed by the 5-digit number
            series, number = series + number[0], number[1:]
    digits = number.replace(".", "")
    if len(digits) == 5 and digits.isdigit():
        number = f"{digits[:3]}.{digits[3:]}"
    return f"{series}-{number}"


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrganisationQuerySet":
        return self.filter(by_organisation(user, "pk", "commune"))


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    name_order = VietnameseOrderField(db_index=True)  # lists sort in Vietnamese order
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Tax code (mã số thuế) or agency code; optional, unique when given.
    registry_code = models.CharField(max_length=20, blank=True)
    commune = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    province_code = models.CharField(max_length=2, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A volunteer helper may register an organisation for its owner; the helper manages it until
    # handing it over to the organisation's own manager.
    registered_by = models.ForeignKey(
        "people.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handed_over_at = models.DateTimeField(null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["registry_code"],
                condition=~models.Q(registry_code=""),
                name="organisation_unique_registry_code",
            )
        ]
        # A plain index too: "registry_code = ?" cannot use the partial unique index on
        # SQLite (it cannot prove ? != ''), and oversight matches thousands of required codes.
        indexes = [models.Index(fields=["registry_code"], name="organisation_registry_code")]
        ordering = ["name_order", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.province_code = self.commune.province_code
        super().save(*args, **kwargs)


class VenueQuerySet(models.QuerySet):
    def visible_to(self, user) -> "VenueQuerySet":
        return self.filter(by_organisation(user, "organisation_id", "commune"))


class CodeState(models.Model):
    """What venues and zones share: a short public code, and the version and revocation state
    their signed QR tokens are checked against."""

    short_code = models.CharField(max_length=8, unique=True, editable=False)
    qr_version = models.PositiveIntegerField(default=1, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_reason = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def display_code(self) -> str:
        return codes.display(self.short_code)

    def ensure_code(self, rng=None) -> None:
        if not self.short_code:
            assign_codes([self], rng)

    def prepare(self) -> None:
        """Derives what follows from the other fields, before validation and saving."""
        self.ensure_code()

    @property
    def venue_id_for_page(self) -> int:
        """The venue whose page shows this object (itself, or a zone's venue)."""
        return self.venue_id if isinstance(self, Zone) else self.pk

    def mark_revoked(self, reason: str) -> None:
        self.revoked_at = timezone.now()
        self.revoked_reason = reason[:200]

    def mark_reissued(self) -> None:
        """A new version: every poster printed before stops working; the code stays."""
        self.qr_version += 1
        self.revoked_at = None
        self.revoked_reason = ""


class Venue(CodeState):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(max_length=200)
    name_order = VietnameseOrderField(db_index=True)  # lists sort in Vietnamese order
    kind = models.CharField(max_length=20, choices=Kind.choices)
    address = models.CharField(max_length=300, blank=True)
    commune = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    province_code = models.CharField(max_length=2, db_index=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    default_stay_minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_STAY_MINUTES)]
    )
    sensitive = models.BooleanField(default=False)
    # Vehicles only: a coach or bus is a place people are in together.
    plate_number = models.CharField(max_length=15, blank=True)
    route = models.CharField(max_length=200, blank=True)
    operator_name = models.CharField(max_length=200, blank=True)
    # Posters downloaded for this venue or its zones: oversight's "posters issued".
    posters_issued = models.PositiveIntegerField(default=0, editable=False)

    objects = VenueQuerySet.as_manager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        indexes = [models.Index(fields=["commune", "kind"])]
        ordering = ["name_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="venue_unique_name_in_organisation",
                violation_error_message=_("The organisation already has a venue with this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="venue_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="venue_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.plate_number = normalise_plate(self.plate_number)
        if self.kind == Kind.VEHICLE and not self.plate_number:
            raise ValidationError({"plate_number": _("A vehicle needs its plate number.")})
        if self.plate_number and not PLATE.match(self.plate_number):
            raise ValidationError(
                {"plate_number": _("Write the plate as on the vehicle, e.g. 37B-123.45.")}
            )
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or none.")})

    def apply_kind_defaults(self) -> None:
        """Fills the fields that follow from the kind and commune (also called before bulk
        inserts, which bypass save(); those call assign_codes() for the short codes)."""
        if not self.default_stay_minutes:
            self.default_stay_minutes = DEFAULT_STAY_MINUTES[Kind(self.kind)]
        if self.kind in SENSITIVE_KINDS:
            self.sensitive = True
        self.province_code = self.commune.province_code

    def prepare(self) -> None:
        if self.kind in Kind.values and self.commune_id:
            self.apply_kind_defaults()
        super().prepare()

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)


class ZoneKind(models.TextChoices):
    GATE = "gate", _("Gate")
    FLOOR = "floor", _("Floor")
    ROOM = "room", _("Room")
    WARD = "ward", _("Hospital ward")
    CARRIAGE = "carriage", _("Carriage")
    OTHER = "other", _("Other")


class ZoneQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ZoneQuerySet":
        return self.filter(by_organisation(user, "venue__organisation_id", "venue__commune"))


class Zone(CodeState):
    """A part of a venue with its own code: a gate, floor, room, hospital ward or carriage."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=ZoneKind.choices)

    objects = ZoneQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "name"],
                name="zone_unique_name_in_venue",
                violation_error_message=_("The venue already has a zone with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None or self.venue.revoked_at is not None

    def save(self, *args, **kwargs):
        self.prepare()
        super().save(*args, **kwargs)


def assign_codes(objects: list[CodeState], rng=None) -> None:
    """Gives every object without one a short code unused by any venue or zone: typed codes
    share one namespace, so a code never means two places."""
    pending = [obj for obj in objects if not obj.short_code]
    taken: set[str] = set()
    while pending:
        for obj in pending:
            obj.short_code = codes.new_code(rng)
        wanted = [obj.short_code for obj in pending]
        taken |= set(
            Venue.objects.filter(short_code__in=wanted).values_list("short_code", flat=True)
        )
        taken |= set(
            Zone.objects.filter(short_code__in=wanted).values_list("short_code", flat=True)
        )
        seen: set[str] = set()
        clashing = []
        for obj in pending:
            if obj.short_code in taken or obj.short_code in seen:
                clashing.append(obj)
            seen.add(obj.short_code)
        pending = clashing


# Sectors and organisation groups live in their own module; importing them here registers them.
from vaora.venues.sectors import GroupMembership, OrganisationGroup, Sector  # noqa: E402, F401
