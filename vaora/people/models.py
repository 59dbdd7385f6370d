"""Persons (the human beings) and Accounts (logins). Name, phone and CCCD are encrypted at rest;
exact lookup goes through keyed blind indexes."""

import datetime

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vaora.core.crypto import blind_index, blind_indexes
from vaora.core.fields import EncryptedTextField
from vaora.core.models import Place
from vaora.core.roles import OFFICIAL_ROLES, ORGANISATION_ROLES, Role
from vaora.core.scoped import ScopedManagerMixin, ScopedQuerySet
from vaora.core.scoping import NOTHING, is_admin, role_of, within_jurisdiction
from vaora.people.identity import normalise_cccd, normalise_name, normalise_phone


def phone_name_index(e164_phone: str, name: str) -> str:
    """The blind index of a normalised phone with a normalised name (case-insensitive)."""
    return blind_index("phone_name", f"{e164_phone}|{normalise_name(name).casefold()}")


def phone_name_indexes(e164_phone: str, name: str) -> list[str]:
    """What to look it up by (every configured key's index: see crypto.blind_indexes)."""
    return blind_indexes("phone_name", f"{e164_phone}|{normalise_name(name).casefold()}")


class PersonLookups(models.QuerySet):
    """Exact lookups by blind index (nothing decrypted)."""

    def by_phone(self, raw_phone: str):
        return self.filter(phone_index__in=blind_indexes("phone", normalise_phone(raw_phone)))

    def by_cccd(self, raw_cccd: str):
        return self.filter(cccd_index__in=blind_indexes("cccd", normalise_cccd(raw_cccd)))


class PersonQuerySet(ScopedQuerySet, PersonLookups):
    def visible_to(self, user) -> "PersonQuerySet":
        role = role_of(user)
        if is_admin(user):
            return self.scoped()
        if role == Role.CITIZEN and user.person_id:
            mine = models.Q(pk=user.person_id) | models.Q(guardian=user.person_id)
            return self.filter(mine).scoped()
        if role == Role.HEALTH:
            return self.filter(within_jurisdiction(user, "home_commune")).scoped()
        # Oversight officials watch organisations, not people; staff see the people they help
        # only through the visits they recorded (venue operations).
        return self.filter(NOTHING).scoped()


class NormalisingBulkCreate:
    def bulk_create(self, objs, *args, **kwargs):
        for person in objs:
            person.normalise()
        return super().bulk_create(objs, *args, **kwargs)


class PersonManager(NormalisingBulkCreate, ScopedManagerMixin,
                    models.Manager.from_queryset(PersonQuerySet)):  # fmt: skip
    """Fails closed (vaora/core/scoped.py)."""


class PersonRows(NormalisingBulkCreate, models.Manager.from_queryset(PersonLookups)):
    """Every row, for Django's own machinery (forms' uniqueness checks, deletion) and tests."""


class Person(models.Model):
    """A human being, with or without an account. Dependants (children, elderly without phones)
    have a guardian; people entered by staff or from paper have no account until they claim it."""

    name = EncryptedTextField()
    phone = EncryptedTextField(null=True, blank=True)
    cccd = EncryptedTextField(null=True, blank=True)
    # NULL, not "", when absent: many people have no CCCD, and NULLs never collide in the
    # unique constraint.
    phone_index = models.CharField(max_length=32, null=True, blank=True, db_index=True)  # noqa: DJ001
    cccd_index = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001
    # Phone and name together: how staff and paper registers find someone again without
    # decrypting every name that shares a (family's) phone. Reveals nothing phone_index does not.
    phone_name_index = models.CharField(max_length=32, null=True, blank=True, db_index=True)  # noqa: DJ001
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    home_commune = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    guardian = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="dependants"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The random reference inside the person's QR code (never the database id); a new one
    # replaces a lost card.
    qr_ref = models.CharField(max_length=16, unique=True, null=True, blank=True)  # noqa: DJ001

    objects = PersonManager()
    rows = PersonRows()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        default_manager_name = "rows"
        constraints = [
            # A phone may be shared (a family's one phone on a paper register); a CCCD may not.
            models.UniqueConstraint(fields=["cccd_index"], name="person_unique_cccd"),
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True) | models.Q(birth_year__gte=1900),
                name="person_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"Person #{self.pk}"  # never the name: str() ends up in logs

    @property
    def initial(self) -> str:
        """The first letter of the given name (last word), all staff need to greet someone."""
        words = (self.name or "").split()
        return words[-1][0].upper() if words else "?"

    def normalise(self) -> None:
        """Normalises identifiers and recomputes blind indexes; raises VaoraError if invalid."""
        self.name = normalise_name(self.name)
        self.phone = normalise_phone(self.phone) if self.phone else None
        self.cccd = normalise_cccd(self.cccd) if self.cccd else None
        self.set_indexes()

    def set_indexes(self) -> list[str]:
        """The blind indexes, from the (normalised) values, under the current data key."""
        self.phone_index = blind_index("phone", self.phone) if self.phone else None
        self.cccd_index = blind_index("cccd", self.cccd) if self.cccd else None
        self.phone_name_index = phone_name_index(self.phone, self.name) if self.phone else None
        return ["phone_index", "cccd_index", "phone_name_index"]

    def clean(self) -> None:
        if not normalise_name(self.name):
            raise ValidationError({"name": _("A name is required.")})
        this_year = datetime.date.today().year
        if self.birth_year is not None and not 1900 <= self.birth_year <= this_year:
            raise ValidationError({"birth_year": _("Birth year must be between 1900 and now.")})

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)


class AccountQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AccountQuerySet":
        role = role_of(user)
        if is_admin(user):
            return self.all()
        if role == Role.ORG_MANAGER:
            return self.filter(organisation_id=user.organisation_id)
        if role == Role.OVERSIGHT:
            return self.filter(
                within_jurisdiction(user, "jurisdiction")
                | within_jurisdiction(user, "organisation__commune")
            )
        if role == Role.HEALTH and user.manages_health_accounts:  # health administrators
            return self.filter(within_jurisdiction(user, "jurisdiction"), role=Role.HEALTH)
        if role is not None:
            return self.filter(pk=user.pk)
        return self.filter(NOTHING)


class AccountManager(UserManager.from_queryset(AccountQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)

    def _create_user(self, username, email, password, **extra_fields):
        extra_fields.pop("is_staff", None)  # derived from the role
        account = self.model(username=self.model.normalize_username(username), **extra_fields)
        account.set_password(password)
        account.save(using=self._db)
        return account


class Account(AbstractBaseUser, PermissionsMixin):
    """A login. Citizens sign in by phone; staff and officials by user name and password.
    Officials act within a jurisdiction (a subtree of places); staff within an organisation."""

    username = models.CharField(_("user name"), max_length=150, unique=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CITIZEN)
    person = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="account"
    )
    jurisdiction = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "venues.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    # A department's or board's oversight account sees only this sector's organisations
    # (venues/sectors.py, core/scoping.py); None: the whole jurisdiction.
    sector = models.ForeignKey(
        "venues.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    display_name = models.CharField(max_length=150, blank=True)  # e.g. "Phòng Y tế xã Vinh Hưng"
    # Where activation links, reminders and digests go (officials and organisation managers).
    phone = EncryptedTextField(null=True, blank=True)
    email = models.EmailField(blank=True)
    # Second factor (RFC 6238 TOTP), required of officials; confirmed once a code matched.
    totp_secret = EncryptedTextField(null=True, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Citizens: scanning a poster checks in at once, without the extra tap.
    auto_checkin = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    # A health official who provisions health officials of their area (oversight/duties.py).
    manages_health_accounts = models.BooleanField(default=False)
    # Sessions begun before this moment end (people/sessions.py: "sign out everywhere").
    signed_out_everywhere_at = models.DateTimeField(null=True, blank=True)
    # The last TOTP step accepted: a code cannot be used twice.
    totp_last_step = models.BigIntegerField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = AccountManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(OFFICIAL_ROLES))
                | models.Q(jurisdiction__isnull=False),
                name="account_official_has_jurisdiction",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(ORGANISATION_ROLES))
                | models.Q(organisation__isnull=False),
                name="account_staff_has_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(sector__isnull=True) | models.Q(role=Role.OVERSIGHT),
                name="account_sector_is_oversight",
            ),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def is_staff(self) -> bool:
        """Django admin is for system administrators only."""
        return self.is_active and self.role == Role.ADMIN

    def clean(self) -> None:
        if self.role in OFFICIAL_ROLES and self.jurisdiction_id is None:
            raise ValidationError({"jurisdiction": _("Officials need a jurisdiction.")})
        if self.role in ORGANISATION_ROLES and self.organisation_id is None:
            raise ValidationError({"organisation": _("Staff need an organisation.")})
        if self.sector_id is not None and self.role != Role.OVERSIGHT:
            raise ValidationError({"sector": _("Only oversight accounts have a sector.")})


class Activation(models.Model):
    """A one-time link that lets a provisioned account set its password. Only a digest of the
    token is stored; the link lives 72 hours and works once."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="activations")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"activation #{self.pk} of account #{self.account_id}"


class OtpChallenge(models.Model):
    """A one-time code sent to a phone. Only a keyed digest of the code is stored."""

    phone_index = models.CharField(max_length=32, db_index=True)
    code_digest = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"OTP #{self.pk}"


class Consent(models.Model):
    """A person's agreement to a version of the privacy notice."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    version = models.CharField(max_length=20)
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="consent_once_per_version")
        ]

    def __str__(self) -> str:
        return f"consent {self.version} of person #{self.person_id}"


# Declarations live in their own module (this one holds identities); importing them here
# registers them with the app.
from vaora.people.declaration_models import (  # noqa: E402, F401
    HealthDeclaration,
    Means,
    Symptom,
    TravelDeclaration,
)


class ApiToken(models.Model):
    """A bearer token for native apps. Only a SHA-256 digest is stored; the token is shown once."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)  # None: issued before expiry rules

    def __str__(self) -> str:
        return f"API token #{self.pk}"


class PassRevocation(models.Model):
    """Check-in passes (people/passes.py) of this person issued up to `revoked_at` no longer
    work: the person was deleted, their account deactivated, or they signed out everywhere.
    No foreign key: the row must outlive a deleted person until their last pass expires."""

    person_id = models.BigIntegerField(primary_key=True)
    revoked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"passes of person {self.person_id} revoked at {self.revoked_at:%Y-%m-%d %H:%M}"
