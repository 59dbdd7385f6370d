"""An upload of a paper register: who sent which file for which venue, how far it got, and the
rows it refused (encrypted: they hold names and phone numbers)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vaora.core.fields import EncryptedTextField
from vaora.core.roles import ORGANISATION_ROLES
from vaora.core.scoped import ScopedQuerySet, scoped_manager
from vaora.core.scoping import NOTHING, is_admin, role_of
from vaora.venues.models import Venue


class Status(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class PaperUploadQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The uploads of the user's own organisation's venues (their refused rows hold names
        and phones); administrators all."""
        if is_admin(user):
            return self.scoped()
        if role_of(user) in ORGANISATION_ROLES:
            return self.filter(venue__organisation_id=user.organisation_id).scoped()
        return self.filter(NOTHING).scoped()


class PaperUpload(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="paper_uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    filename = models.CharField(max_length=200)
    size_bytes = models.PositiveBigIntegerField(default=0)
    bytes_done = models.PositiveBigIntegerField(default=0)  # how far into the file (progress)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    stored = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # the first line-numbered reasons
    # A restarted import goes on after this line of the file (paper/services.run).
    resume_line = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    error_code = models.CharField(max_length=40, blank=True)  # a file-level refusal
    error_vi = models.TextField(blank=True)
    error_en = models.TextField(blank=True)
    rejected_csv = EncryptedTextField(blank=True, default="")

    objects = scoped_manager(PaperUploadQuerySet)  # fails closed: vaora/core/scoped.py
    rows = models.Manager()  # Django's own machinery (forms' uniqueness checks, deletion)

    class Meta:
        default_manager_name = "rows"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Paper upload #{self.pk}"

    @property
    def progress_percent(self) -> int:
        if self.status in (Status.DONE, Status.FAILED, Status.CANCELLED):
            return 100
        return min(99, self.bytes_done * 100 // self.size_bytes) if self.size_bytes else 0
