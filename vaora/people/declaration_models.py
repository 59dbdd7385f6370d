"""Health declarations (khai báo y tế) and domestic travel declarations (khai báo di chuyển
nội địa): append-only, dated, per person."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vaora.core.models import Place


class Symptom(models.TextChoices):
    FEVER = "fever", _("Fever")
    COUGH = "cough", _("Cough")
    BREATH = "breath", _("Shortness of breath")
    THROAT = "throat", _("Sore throat")
    TASTE_SMELL = "taste_smell", _("Loss of taste or smell")
    FATIGUE = "fatigue", _("Fatigue")
    OTHER = "other", _("Other")


class HealthDeclaration(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="health_declarations")  # fmt: skip
    province_code = models.CharField(max_length=2, blank=True)
    declared_at = models.DateTimeField(default=timezone.now, db_index=True)
    symptoms = models.JSONField(default=list)  # Symptom values
    other_symptom = models.CharField(max_length=200, blank=True)
    contact_with_case = models.BooleanField()  # with a confirmed case in the last 14 days
    # NULL: not asked (a paper register asks only about symptoms and contact).
    in_outbreak_area = models.BooleanField(null=True)
    vaccine_doses = models.PositiveSmallIntegerField(null=True)
    source = models.CharField(max_length=8, default="self")  # "self" or "paper" (a register)

    class Meta:
        ordering = ["-declared_at", "-id"]
        indexes = [models.Index(fields=["person", "declared_at"])]

    def __str__(self) -> str:
        return f"Health declaration #{self.pk}"

    @property
    def needs_attention(self) -> bool:
        return bool(self.symptoms) or self.contact_with_case or self.in_outbreak_area


class Means(models.TextChoices):
    COACH = "coach", _("Coach or bus")
    TRAIN = "train", _("Train")
    FLIGHT = "flight", _("Flight")
    PRIVATE = "private", _("Private vehicle")
    OTHER = "other", _("Other")


class TravelDeclaration(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="travel_declarations")  # fmt: skip
    province_code = models.CharField(max_length=2)  # of the destination
    declared_at = models.DateTimeField(default=timezone.now, db_index=True)
    from_commune = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    to_commune = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    departure_date = models.DateField()
    return_date = models.DateField(null=True, blank=True)
    means = models.CharField(max_length=10, choices=Means.choices)
    # Plate of the coach or bus, train number, or flight number: how co-travellers are traced.
    transport_ref = models.CharField(max_length=20, blank=True, db_index=True)
    purpose = models.CharField(max_length=200, blank=True)
    valid_until = models.DateTimeField()

    class Meta:
        ordering = ["-declared_at", "-id"]
        indexes = [models.Index(fields=["person", "declared_at"])]

    def __str__(self) -> str:
        return f"Travel declaration #{self.pk}"

    @staticmethod
    def validity() -> datetime.timedelta:
        return datetime.timedelta(days=settings.VAORA_TRAVEL_QR_DAYS)
