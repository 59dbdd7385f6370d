"""Cases (F0), the contacts a trace found (F1, F2, …) and the exposure rules per venue kind.
Visits are read only through an open case with a stated purpose; every read is audited."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vaora.core.models import Place
from vaora.core.roles import Role
from vaora.core.scoped import ScopedQuerySet, scoped_manager
from vaora.core.scoping import NOTHING, is_admin, role_of, within_jurisdiction
from vaora.people.models import Person
from vaora.venues.models import Kind, Venue, Zone

INFECTIOUS_BEFORE = datetime.timedelta(days=2)  # before onset or test, whichever is earlier


class CaseQuerySet(ScopedQuerySet):
    def visible_to(self, user) -> "CaseQuerySet":
        """Health officials of the case's area (a province official sees its communes')."""
        if is_admin(user):
            return self.scoped()
        if role_of(user) != Role.HEALTH:
            return self.filter(NOTHING).scoped()
        return self.filter(within_jurisdiction(user, "place")).scoped()


class ExposureSiteQuerySet(ScopedQuerySet):
    def published(self):
        """Published and not withdrawn: public, no personal data."""
        return self.filter(withdrawn_at__isnull=True).scoped()


class NoticeQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """A citizen's own notices (and their dependants'); health officials' of their cases."""
        if role_of(user) == Role.CITIZEN and user.person_id:
            family = Person.objects.filter(models.Q(pk=user.person_id) |
                                           models.Q(guardian_id=user.person_id))  # fmt: skip
            return self.filter(person__in=family.values("pk")).scoped()
        return self.filter(case__in=Case.objects.visible_to(user)).scoped()


class ByCaseQuerySet(ScopedQuerySet):
    """What belongs to a case (contacts, notice batches, reveal requests): visible where the
    case is."""

    def visible_to(self, user):
        return self.filter(case__in=Case.objects.visible_to(user)).scoped()


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")  # whose case
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")  # fmt: skip
    purpose = models.CharField(max_length=300)
    test_date = models.DateField()
    onset_date = models.DateField(null=True, blank=True)
    isolated_at = models.DateTimeField(null=True, blank=True)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_traced_at = models.DateTimeField(null=True, blank=True)
    # Why this case is traced through sensitive places (clinics, places of worship): empty
    # means they are left out (threat 22).
    sensitive_reason = models.CharField(max_length=300, blank=True, default="")

    objects = scoped_manager(CaseQuerySet)  # fails closed: vaora/core/scoped.py
    rows = models.Manager()  # Django's own machinery (forms' uniqueness checks, deletion)

    class Meta:
        default_manager_name = "rows"
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"Case #{self.pk}"


class Contact(models.Model):
    """A person a trace found, with the exposure that links them to the case."""

    class Risk(models.TextChoices):
        HIGH = "high", _("High")
        LOW = "low", _("Low")

    class State(models.TextChoices):
        FOUND = "found", _("Found")
        REACHED = "reached", _("Reached")
        TESTED = "tested", _("Tested")
        ISOLATED = "isolated", _("Isolated")

    # A trace writes tens of thousands of contacts at once (decisions 0022, 0026): no relation
    # here has a database constraint — Django's relations only (deleting a case or a person
    # still cascades to their contacts, deleting a venue or zone still empties the field).
    # PostgreSQL checked each constraint row by row at commit: 0.85 s of an F2's 2.2 s for the
    # person, via person, venue and zone, and 0.45 s of the case page's 3 s for the case, whose
    # row the store holds locked anyway (services.trace_case). Few indexes, each paid by every
    # row: none of its own for the case (the list's index leads with it), the person (the
    # unique (person, case) index leads with it), the venue or the zone (a case's contacts are
    # read by case; a venue with visits cannot be deleted). The via person keeps its own: an
    # account's deletion cascades through it.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts",
                             db_constraint=False, db_index=False)  # fmt: skip
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+",
                               db_constraint=False, db_index=False)  # fmt: skip
    degree = models.PositiveSmallIntegerField()  # 1 = F1, 2 = F2, 3 = F3
    via_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+",
                                   db_constraint=False)  # fmt: skip
    venue = models.ForeignKey(Venue, null=True, on_delete=models.SET_NULL, related_name="+",
                              db_constraint=False, db_index=False)  # fmt: skip
    zone = models.ForeignKey(Zone, null=True, on_delete=models.SET_NULL, related_name="+",
                             db_constraint=False, db_index=False)  # fmt: skip
    transport_ref = models.CharField(max_length=20, blank=True)  # a co-traveller
    exposed_from = models.DateTimeField()
    exposed_until = models.DateTimeField()
    overlap_minutes = models.PositiveIntegerField(null=True)  # None: same vehicle, same day
    risk = models.CharField(max_length=4, choices=Risk.choices)
    state = models.CharField(max_length=8, choices=State.choices, default=State.FOUND)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField(default=timezone.now)

    objects = scoped_manager(ByCaseQuerySet)  # fails closed: vaora/core/scoped.py
    rows = models.Manager()  # Django's own machinery (forms' uniqueness checks, deletion)

    class Meta:
        default_manager_name = "rows"
        ordering = ["degree", "risk", "exposed_from", "id"]  # F1 first, "high" before "low"
        # Person first: it also finds a person's contacts (their own data, their deletion).
        constraints = [models.UniqueConstraint(fields=["person", "case"], name="contact_once")]
        # The list's order within a case: a page is read from the index, not a sort of every
        # contact of the case (services._page_of).
        indexes = [models.Index(fields=["case", "degree", "risk", "exposed_from", "id"],
                                name="contact_listed")]  # fmt: skip

    def __str__(self) -> str:
        return f"Contact #{self.pk} (F{self.degree})"  # never the name: str() reaches logs


class ExposureRule(models.Model):
    """What counts as exposure at a kind of venue; the health department edits these. A kind
    without a row uses the defaults in vaora.tracing.rules."""

    kind = models.CharField(max_length=20, choices=Kind.choices, unique=True)
    min_overlap_minutes = models.PositiveIntegerField()
    buffer_before_minutes = models.PositiveIntegerField(default=0)
    buffer_after_minutes = models.PositiveIntegerField(default=0)
    high_risk_minutes = models.PositiveIntegerField()  # overlap from which the risk is high
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Exposure rule {self.kind}"


class ExposureSite(models.Model):
    """A location of interest: a venue (or zone) and a time window where an infectious person
    was. Published without any personal data."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="exposure_sites")
    zone = models.ForeignKey(Zone, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")  # fmt: skip
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    advice_vi = models.TextField(blank=True)
    advice_en = models.TextField(blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="exposure_sites")  # fmt: skip
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    published_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager(ExposureSiteQuerySet)  # fails closed: vaora/core/scoped.py
    rows = models.Manager()  # Django's own machinery (forms' uniqueness checks, deletion)

    class Meta:
        default_manager_name = "rows"
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["venue", "starts_at"])]

    def __str__(self) -> str:
        return f"Exposure site #{self.pk}"


class NoticeTemplate(models.Model):
    """The words of a notice, edited by the health department ({venue}, {date}, {advice})."""

    key = models.CharField(max_length=20, unique=True)  # "f1", "f2", "site"
    text_vi = models.TextField()
    text_en = models.TextField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notice template {self.key}"


class NoticeBatch(models.Model):
    """Notices to a case's contacts. Above the approval threshold a second health official must
    approve before anything is sent (one official alone cannot notify hundreds)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second official")
        APPROVED = "approved", _("Approved")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notice_batches")
    degree = models.PositiveSmallIntegerField(null=True, blank=True)  # None: every degree
    contacts = models.ManyToManyField(Contact, related_name="+")
    size = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sms_sent = models.PositiveIntegerField(default=0)  # SMS queued for the gateway
    notices_made = models.PositiveIntegerField(default=0)  # in-app notices written so far

    def __str__(self) -> str:
        return f"Notice batch #{self.pk}"

    @property
    def sms_key(self) -> str:
        """What its SMS carry in SmsMessage.batch_key (core/sms.progress reads it)."""
        return f"notices:{self.pk}"

    objects = scoped_manager(ByCaseQuerySet)  # fails closed: vaora/core/scoped.py
    rows = models.Manager()  # Django's own machinery (forms' uniqueness checks, deletion)

    class Meta:
        default_manager_name = "rows"


class Notice(models.Model):
    """What a person reads on their home page (and, with a phone, by SMS)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notices")
    batch = models.ForeignKey(NoticeBatch, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="notices")  # fmt: skip
    text_vi = models.TextField()
    text_en = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager(NoticeQuerySet)  # fails closed: vaora/core/scoped.py
    rows = models.Manager()  # Django's own machinery (forms' uniqueness checks, deletion)

    class Meta:
        default_manager_name = "rows"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Notice #{self.pk}"


class RevealRequest(models.Model):
    """An export of more contacts than the approval threshold: allowed to its requester for a
    day once a second health official approves it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reveal_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="+")  # fmt: skip
    size = models.PositiveIntegerField()
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager(ByCaseQuerySet)  # fails closed: vaora/core/scoped.py
    rows = models.Manager()  # Django's own machinery (forms' uniqueness checks, deletion)

    class Meta:
        default_manager_name = "rows"
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Reveal request #{self.pk}"
