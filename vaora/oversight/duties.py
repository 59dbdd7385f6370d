"""Separation of duties (threat 27): the office that hands out accounts must not be able to give
itself tracing powers. One rule for who may provision which role and who may touch a health
official's account (create it, reset its second factor, send it a new activation link, turn it
back on), used by the accounts page, the API and the spreadsheet import alike:

- oversight officials (Sở TT&TT, communes): oversight, helper, manager and staff accounts in
  their area — never health accounts, nor a health account's second factor or activation;
- a health administrator (a health official with `manages_health_accounts`): health officials
  in their area;
- a system administrator: any account, but a health account (or a health administrator) only
  once a second administrator approves — until then the account stays inactive (and a reset
  waits), and both steps are audited.
Deactivating a health account takes powers away; any provisioner may do it in their area.
"""

from django.db import transaction
from django.utils import timezone

from vaora.core import audit
from vaora.core.errors import NotFound, VaoraError
from vaora.core.roles import Role
from vaora.core.scoping import role_of, sector_of
from vaora.oversight.models import DutyApproval

NOT_YOURS = ("separation_of_duties",
             "Chỉ quản trị y tế được cấp hoặc thay đổi tài khoản y tế.",
             "Only a health administrator provisions or changes health accounts.")  # fmt: skip


def is_health_admin(user) -> bool:
    return role_of(user) == Role.HEALTH and bool(getattr(user, "manages_health_accounts", False))


def provisioner(user) -> bool:
    """May this user manage accounts at all (oversight officials, health administrators,
    system administrators)? A department's or board's account (a sector) does not: Sở TT&TT
    provisions those, and they oversee organisations, not accounts."""
    if sector_of(user) is not None:
        return False
    return role_of(user) in (Role.OVERSIGHT, Role.ADMIN) or is_health_admin(user)


def require_provisioner(user) -> None:
    if not provisioner(user):
        raise VaoraError("not_an_overseer", "Chức năng này dành cho cán bộ giám sát.",
                         "This is for oversight officials.", 403)  # fmt: skip


def roles_given_by(user) -> tuple[str, ...]:
    """The roles this user may give (a system administrator's health accounts wait for a
    second administrator)."""
    if sector_of(user) is not None:
        return ()
    if is_health_admin(user):
        return (Role.HEALTH,)
    if role_of(user) == Role.ADMIN:
        return (Role.OVERSIGHT, Role.HEALTH, Role.HELPER, Role.ORG_MANAGER, Role.VENUE_STAFF)
    if role_of(user) == Role.OVERSIGHT:
        return (Role.OVERSIGHT, Role.HELPER, Role.ORG_MANAGER, Role.VENUE_STAFF)
    if role_of(user) == Role.HELPER:  # only in a hand-over of what they registered
        return (Role.ORG_MANAGER,)
    return ()


def may_give(user, role: str, *, health_admin: bool = False) -> bool:
    if health_admin and role_of(user) != Role.ADMIN:
        return False  # only administrators (with a second one) make health administrators
    return role in roles_given_by(user)


def needs_second_admin(user, role: str) -> bool:
    return role == Role.HEALTH and role_of(user) == Role.ADMIN


def require_may_change(user, account, action: str) -> None:
    """Before resetting a second factor, resending an activation link or reactivating: a
    health account only by a health administrator (or an administrator, who then waits for a
    second one: `request`)."""
    if account.role != Role.HEALTH:
        return
    if is_health_admin(user) or role_of(user) == Role.ADMIN:
        return
    raise VaoraError(*NOT_YOURS, 403)


def request(user, account, action: str) -> DutyApproval:
    """An administrator's change to a health account, waiting for a second administrator."""
    approval = DutyApproval.objects.create(action=action, account=account, requested_by=user)
    audit.record(user, "duty.approval_requested", target=account,
                 details={"action": action, "approval": approval.pk})  # fmt: skip
    return approval


def pending(user):
    """Changes waiting for this administrator's approval (not their own)."""
    if role_of(user) != Role.ADMIN:
        return DutyApproval.objects.none()
    return (DutyApproval.objects.filter(approved_at__isnull=True).exclude(requested_by=user)
            .select_related("account", "requested_by"))  # fmt: skip


@transaction.atomic
def approve(user, approval_id: int, perform) -> DutyApproval:
    """A second administrator approves; `perform(approval)` then carries the change out."""
    if role_of(user) != Role.ADMIN:
        raise VaoraError(*NOT_YOURS, 403)
    approval = (DutyApproval.objects.select_for_update().filter(pk=approval_id,
                approved_at__isnull=True).select_related("account").first())  # fmt: skip
    if approval is None:
        raise NotFound("yêu cầu phê duyệt", "approval")
    if approval.requested_by_id == user.pk:
        raise VaoraError("second_administrator_required",
                         "Cần một quản trị viên khác phê duyệt.",
                         "Another administrator must approve this.", 403)  # fmt: skip
    approval.approved_by, approval.approved_at = user, timezone.now()
    approval.save(update_fields=["approved_by", "approved_at"])
    audit.record(user, "duty.approved", target=approval.account,
                 details={"action": approval.action, "approval": approval.pk})  # fmt: skip
    perform(approval)
    return approval
