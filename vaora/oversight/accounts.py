"""Account provisioning by oversight officials: one at a time or from a spreadsheet, each with a
jurisdiction or an organisation inside the official's own; a one-time activation link through
the outbox; deactivation; second-factor reset. Every change is audited."""

import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vaora.core import audit, outbox
from vaora.core.errors import InvalidFields, NotFound, VaoraError
from vaora.core.models import Place
from vaora.core.places import installation_province
from vaora.core.roles import OFFICIAL_ROLES, ORGANISATION_ROLES, Role
from vaora.core.scoping import is_admin, place_in_area
from vaora.oversight import duties
from vaora.oversight.models import DutyApproval
from vaora.people.identity import normalise_phone
from vaora.people.models import Account, Activation
from vaora.venues.models import Organisation, Sector

PROVISIONABLE = (Role.OVERSIGHT, Role.HEALTH, Role.HELPER, Role.ORG_MANAGER, Role.VENUE_STAFF)
ACTIVATION_LIFETIME = datetime.timedelta(hours=72)
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,149}$")


@dataclass
class NewAccount:
    username: str
    role: str
    display_name: str = ""
    jurisdiction: Place | None = None
    organisation: Organisation | None = None
    phone: str = ""
    email: str = ""
    health_admin: bool = False  # a health official who provisions health officials
    # A department's or board's oversight account: its area is the sector's territory.
    sector: Sector | None = None

    def __post_init__(self):
        # The one place user names are normalised, whichever door typed them.
        self.username = normalise_username(self.username)
        if self.sector is not None:
            self.jurisdiction = self.sector.territory or installation_province()


def normalise_username(raw: str) -> str:
    return (raw or "").strip().lower()


def sectors_for(actor):
    """The sectors an official may give accounts of: those whose territory lies in their
    area (a province-wide sector: provincial officials and administrators)."""
    rows = Sector.objects.select_related("territory")
    if is_admin(actor):
        return rows
    if not duties.provisioner(actor) or actor.jurisdiction_id is None:
        return rows.none()
    inside = Q(territory__path__startswith=actor.jurisdiction.path)
    if actor.jurisdiction.level == Place.Level.PROVINCE:
        inside |= Q(territory__isnull=True)
    return rows.filter(inside)


def sector_by_code(actor, code: str) -> Sector:
    """A sector the actor may give, by its code; refused with a field error otherwise."""
    found = sectors_for(actor).filter(code=(code or "").strip().lower()).first()
    if found is None:
        raise InvalidFields({"sector": [f"Không có ngành mã {code!r} / No sector {code!r}"]})
    return found


def _problems(actor, new: NewAccount) -> dict[str, list[str]]:
    """Field → messages (bilingual) for what is wrong with a new account; {} when fine."""
    bad: dict[str, list[str]] = {}
    if not USERNAME.match(new.username):
        bad["username"] = ["3–150 chữ thường, số, dấu chấm, gạch / 3–150 lower-case letters, "
                           "digits, dots, dashes"]  # fmt: skip
    elif Account.objects.filter(username=new.username).exists():
        bad["username"] = ["Tên đăng nhập đã có / This user name is taken"]
    if new.role not in PROVISIONABLE or not duties.may_give(actor, new.role):
        bad["role"] = ["Vai trò không hợp lệ / Not a role you can give"]
    elif new.sector is not None and new.role != Role.OVERSIGHT:
        bad["sector"] = ["Chỉ tài khoản giám sát có ngành / Only oversight accounts have a sector"]
    elif new.role in OFFICIAL_ROLES:
        if new.jurisdiction is None:
            bad["jurisdiction"] = ["Cần địa bàn (mã xã hoặc tỉnh) / A jurisdiction is needed"]
        elif not place_in_area(actor, new.jurisdiction):
            bad["jurisdiction"] = ["Ngoài địa bàn của bạn / Outside your jurisdiction"]
    elif new.organisation is None:
        bad["organisation"] = ["Cần đơn vị / An organisation is needed"]
    elif not place_in_area(actor, new.organisation.commune):
        bad["organisation"] = ["Đơn vị ngoài địa bàn của bạn / Organisation outside your area"]
    if new.phone:
        try:
            new.phone = normalise_phone(new.phone)
        except VaoraError:
            bad["phone"] = ["Số điện thoại không hợp lệ / Not a valid phone number"]
    if new.email:
        try:
            validate_email(new.email)
        except ValidationError:
            bad["email"] = ["Thư điện tử không hợp lệ / Not a valid e-mail address"]
    if not new.phone and not new.email:
        bad["phone"] = ["Cần số điện thoại hoặc thư điện tử để gửi liên kết kích hoạt / "
                        "A phone or e-mail is needed for the activation link"]  # fmt: skip
    return bad


@transaction.atomic
def create_account(actor, new: NewAccount) -> tuple[Account, str]:
    """Creates the account without a usable password and sends its activation link; returns
    the account and the link (shown once to the official, for handing over on paper)."""
    handing_over = (
        actor.role == Role.HELPER
        and new.role == Role.ORG_MANAGER
        and (new.organisation is not None and new.organisation.registered_by_id == actor.pk)
    )  # a helper creates exactly one kind of account: the manager of what they registered
    if not handing_over:
        duties.require_provisioner(actor)
        if new.role == Role.HEALTH and not duties.may_give(
            actor, Role.HEALTH, health_admin=new.health_admin
        ):
            raise VaoraError(*duties.NOT_YOURS, 403)
    bad = _problems(actor, new)
    if bad:
        raise InvalidFields(bad)
    waits = duties.needs_second_admin(actor, new.role)
    account = Account(
        username=new.username, role=new.role, display_name=new.display_name[:150],
        jurisdiction=new.jurisdiction if new.role in OFFICIAL_ROLES else None,
        sector=new.sector if new.role == Role.OVERSIGHT else None,
        organisation=new.organisation if new.role in ORGANISATION_ROLES else None,
        phone=new.phone or None, email=new.email, created_by=actor,
        manages_health_accounts=new.health_admin and new.role == Role.HEALTH,
        is_active=not waits,
    )  # fmt: skip
    account.set_unusable_password()
    account.save()
    audit.record(
        actor,
        "account.create",
        target=account,
        details={"role": new.role, "sector": new.sector.code if new.sector else ""},
    )
    if waits:  # a health account made by an administrator: a second one approves it first
        duties.request(actor, account, DutyApproval.Action.CREATE)
        return account, ""
    return account, send_activation(actor, account)


def send_activation(actor, account: Account) -> str:
    """A fresh one-time link (earlier unused links stop working), sent through the outbox."""
    token = secrets.token_urlsafe(32)
    account.activations.filter(used_at__isnull=True).update(expires_at=timezone.now())
    Activation.objects.create(account=account, digest=_digest(token),
                              expires_at=timezone.now() + ACTIVATION_LIFETIME)  # fmt: skip
    link = f"{settings.VAORA_PUBLIC_URL}/activate/{token}/"
    outbox.deliver(
        account, subject="vaora: kích hoạt tài khoản / activate your account",
        text_vi=f"vaora: tài khoản {account.username} đã được tạo. Đặt mật khẩu trong 72 giờ: "
                f"{link}",
        text_en=f"vaora: the account {account.username} was created for you. Set a password "
                f"within 72 hours: {link}",
        purpose="activation",
    )  # fmt: skip
    audit.record(actor, "account.activation_sent", target=account)
    return link


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _activation(token: str) -> Activation:
    found = Activation.objects.select_related("account").filter(digest=_digest(token)).first()
    if found is None or not found.account.is_active:
        raise VaoraError("activation_unknown", "Liên kết kích hoạt không đúng.",
                         "This activation link is not valid.", 404)  # fmt: skip
    if found.used_at is not None:
        raise VaoraError("activation_used", "Liên kết này đã được dùng.",
                         "This activation link was already used.", 410)  # fmt: skip
    if found.expires_at <= timezone.now():
        raise VaoraError("activation_expired", "Liên kết kích hoạt đã hết hạn.",
                         "This activation link has expired.", 410)  # fmt: skip
    return found


def account_for_activation(token: str) -> Account:
    return _activation(token).account


@transaction.atomic
def activate(token: str, password: str, again: str) -> Account:
    activation = _activation(token)
    account = activation.account
    if password != again:
        raise VaoraError("passwords_differ", "Hai mật khẩu không giống nhau.",
                         "The two passwords differ.", 400)  # fmt: skip
    try:
        validate_password(password, account)
    except ValidationError as error:
        raise VaoraError("weak_password", " ".join(error.messages), " ".join(error.messages),
                         400) from None  # fmt: skip
    account.set_password(password)
    account.save(update_fields=["password"])
    activation.used_at = timezone.now()
    activation.save(update_fields=["used_at"])
    audit.record(account, "account.activated", target=account)
    return account


def accounts_for(actor, *, role: str = "", active: str = "", query: str = ""):
    """The staff and official accounts in the actor's jurisdiction, newest first."""
    duties.require_provisioner(actor)
    rows = Account.objects.visible_to(actor).exclude(role=Role.CITIZEN)
    if role in Role.values:
        rows = rows.filter(role=role)
    if active in ("yes", "no"):
        rows = rows.filter(is_active=active == "yes")
    if query:
        rows = rows.filter(username__icontains=query.strip())
    return rows.select_related("jurisdiction", "organisation", "sector").order_by(
        "-date_joined", "-id"
    )


def get_account(actor, account_id: int) -> Account:
    found = accounts_for(actor).filter(pk=account_id).first()
    if found is None:
        raise NotFound("tài khoản", "account")
    return found


def set_active(actor, account_id: int, active: bool) -> Account:
    account = get_account(actor, account_id)
    if account.pk == actor.pk:
        raise VaoraError("not_yourself", "Không thể tự khóa tài khoản của mình.",
                         "You cannot deactivate your own account.", 400)  # fmt: skip
    if active:  # giving powers back: a health account follows the duties rule
        duties.require_may_change(actor, account, "reactivate")
        if duties.needs_second_admin(actor, account.role):
            duties.request(actor, account, DutyApproval.Action.REACTIVATE)
            return account
    account.is_active = active
    account.save(update_fields=["is_active"])
    audit.record(actor, "account.activate" if active else "account.deactivate", target=account)
    return account


def reset_second_factor(actor, account_id: int) -> Account:
    """For an official who lost their phone: the next sign-in enrols a new authenticator."""
    account = get_account(actor, account_id)
    duties.require_may_change(actor, account, "reset_second_factor")
    if duties.needs_second_admin(actor, account.role):
        duties.request(actor, account, DutyApproval.Action.RESET_SECOND_FACTOR)
        return account
    _reset(actor, account)
    return account


def resend_activation(actor, account_id: int) -> Account:
    """A new one-time link to the account's own phone or e-mail."""
    account = get_account(actor, account_id)
    duties.require_may_change(actor, account, "resend_activation")
    if duties.needs_second_admin(actor, account.role):
        duties.request(actor, account, DutyApproval.Action.RESEND_ACTIVATION)
        return account
    send_activation(actor, account)
    return account


def approve_duty(actor, approval_id: int):
    """A second administrator approves a change to a health account; it is carried out now."""

    def perform(approval):
        account = approval.account
        if approval.action in (DutyApproval.Action.CREATE, DutyApproval.Action.REACTIVATE):
            account.is_active = True
            account.save(update_fields=["is_active"])
        if approval.action in (DutyApproval.Action.CREATE, DutyApproval.Action.RESEND_ACTIVATION):
            send_activation(actor, account)
        if approval.action == DutyApproval.Action.RESET_SECOND_FACTOR:
            _reset(actor, account)

    return duties.approve(actor, approval_id, perform)


def _reset(actor, account: Account) -> None:
    account.totp_secret, account.totp_confirmed_at, account.totp_last_step = None, None, None
    account.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    audit.record(actor, "account.second_factor_reset", target=account)
