"""Administrative places (a tree of GSO-coded units), the append-only audit log, the SMS log and
the few rows that coordinate server processes (change counters, leases, worker heartbeats)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vaora.core.fields import EncryptedTextField, VietnameseOrderField
from vaora.core.roles import Role


class Place(models.Model):
    """An administrative unit. Since July 2025 the tree is province → commune/ward; units of the
    older three-tier scheme (province → district → commune) can be held beside them, marked
    `scheme=legacy`, for historic records. GSO codes are unique only within a scheme and level."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District (before 2025)")
        COMMUNE = "commune", _("Commune or ward")

    class Scheme(models.TextChoices):
        CURRENT = "2025", _("Current (2025)")
        LEGACY = "legacy", _("Before July 2025")

    code = models.CharField(max_length=8)
    name = models.CharField(max_length=120)
    name_order = VietnameseOrderField()  # lists of communes sort in Vietnamese order
    division_type = models.CharField(max_length=40, blank=True)  # "xã", "phường", "tỉnh", ...
    level = models.CharField(max_length=10, choices=Level.choices)
    scheme = models.CharField(max_length=8, choices=Scheme.choices, default=Scheme.CURRENT)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)
    province_code = models.CharField(max_length=2, db_index=True)
    # Materialised path "2025/40/16681/": a subtree is a prefix match, one indexed range scan.
    path = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "level", "code"], name="place_unique_code")
        ]
        indexes = [models.Index(fields=["parent", "name"])]
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def make_path(cls, scheme: str, codes: list[str]) -> str:
        return scheme + "/" + "".join(f"{c}/" for c in codes)

    def contains(self, other: "Place") -> bool:
        return other.path.startswith(self.path)


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutable()

    def delete(self):
        raise AuditImmutable()


class AuditImmutable(Exception):
    def __init__(self):
        super().__init__("audit events are append-only: they cannot be changed or deleted")


class AuditEvent(models.Model):
    """Who did what to whom, why, and how many rows it touched. Append-only: the model refuses
    updates and deletes, and database triggers refuse them too (see migration 0003)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No database constraint: an audit row keeps its actor id after the account is deleted
    # (deleting an account must not rewrite the log).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, blank=True)  # survives account deletion
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # A person the event concerns, so citizens can see who accessed their data.
    subject_person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    purpose = models.TextField(blank=True)
    row_count = models.IntegerField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable()


class SigningKey(models.Model):
    """An Ed25519 key that signs the QR codes we print or show. The newest unretired key signs;
    every unretired key verifies, so old posters keep working across a rotation until their key
    is retired. Public halves are published at /.well-known/vaora-keys.json."""

    kid = models.PositiveIntegerField(unique=True)  # small: it travels inside every QR code
    private_key = EncryptedTextField()
    public_key = models.CharField(max_length=64)  # base64url of the 32 raw bytes
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-kid"]

    def __str__(self) -> str:
        return f"key {self.kid}"


class SmsMessage(models.Model):
    """Every SMS we send or would send (the outbox backend only records them). Phone and text
    are encrypted: the text may hold a one-time code."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded (outbox)")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        RETRYING = "retrying", _("Waiting to retry")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    phone = EncryptedTextField()
    phone_index = models.CharField(max_length=32, db_index=True)
    body = EncryptedTextField()
    purpose = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices)
    error = models.CharField(max_length=200, blank=True)
    # Delivery through the gateway (core/delivery.py): the key travels with every attempt so a
    # gateway that saw a message before a crash does not send it again.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    priority = models.SmallIntegerField(default=0)  # one-time codes before notices
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    batch_key = models.CharField(max_length=40, blank=True, db_index=True)  # "notices:12"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="sms_due_idx")]

    def __str__(self) -> str:
        return f"SMS #{self.pk} ({self.purpose}, {self.status})"


class ChangeCounter(models.Model):
    """A number that grows whenever something servers keep in memory changes (`places`: venue
    and zone codes, versions, revocations, stays; `passes`: check-in pass revocations). Every
    server process reads these few rows once per batch and reloads only what changed, so a
    revocation takes effect on the next request in every process (core/changes.py)."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Lease(models.Model):
    """A named lease one process holds until `expires_at` (core/jobs.py): the scheduler and the
    SMS sender run once per installation whatever the number of processes; another waits until
    the holder stops renewing."""

    name = models.CharField(max_length=40, primary_key=True)
    holder = models.CharField(max_length=80)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder} until {self.expires_at:%H:%M:%S}"


class WorkerBeat(models.Model):
    """A worker process's heartbeat: a job still marked running whose worker stopped beating
    (killed, out of memory, machine lost) is put back in the queue (core/jobs.recover)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=120)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.host} (pid {self.pid})"


class ScheduledRun(models.Model):
    """When each periodic job last started (core/jobs.schedule), so that a restart or a second
    scheduler neither skips nor repeats it."""

    name = models.CharField(max_length=60, primary_key=True)
    last_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} last run {self.last_run_at:%Y-%m-%d %H:%M}"


class KeyRotation(models.Model):
    """How far `vaora rotate-data-key` got with one model for one data key (core/rotation.py):
    an interrupted rotation goes on after `last_pk`."""

    label = models.CharField(max_length=80, primary_key=True)  # "people.Person"
    key_id = models.CharField(max_length=8)
    last_pk = models.BigIntegerField(default=0)
    rows_done = models.BigIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.label}: {self.rows_done} rows to key {self.key_id}"
