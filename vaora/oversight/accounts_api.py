"""Account API: provisioning (one at a time or from a spreadsheet), deactivation, activation
links, second-factor resets, and the second administrator's approvals. For oversight officials,
health administrators (health accounts only) and system administrators — the rule of who may
give which role is oversight/duties.py; every other role gets 403 before anything is read."""

import datetime

from ninja import File, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from vaora.core.api_auth import RoleAuth
from vaora.core.api_types import ObjectId, id_field
from vaora.core.models import Place
from vaora.oversight import account_import, accounts, duties
from vaora.oversight.api import ImportOut, upload_within_limit
from vaora.venues.models import Organisation

router = Router(tags=["accounts"], auth=RoleAuth(duties.require_provisioner))


class AccountIn(Schema):
    username: str = Field(max_length=150)
    role: str
    display_name: str = Field("", max_length=150)
    jurisdiction_id: int | None = id_field(None)
    organisation_id: int | None = id_field(None)
    sector: str = Field(
        "",
        max_length=40,
        description="a sector's code (oversight accounts "
        "of a department or board): their area is the sector's",
    )
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


class AccountOut(Schema):
    id: int
    username: str
    role: str
    display_name: str
    jurisdiction_id: int | None
    organisation_id: int | None
    sector: str | None = Field(None, alias="sector.code")
    is_active: bool
    activated: bool
    second_factor: bool
    last_login: datetime.datetime | None
    date_joined: datetime.datetime

    @staticmethod
    def resolve_activated(account) -> bool:
        return account.has_usable_password()

    @staticmethod
    def resolve_second_factor(account) -> bool:
        return account.totp_confirmed_at is not None


def _new_account(actor, body: AccountIn) -> accounts.NewAccount:
    place = Place.objects.filter(pk=body.jurisdiction_id).first() if body.jurisdiction_id else None
    organisation = (Organisation.objects.filter(pk=body.organisation_id).first()
                    if body.organisation_id else None)  # fmt: skip
    sector = accounts.sector_by_code(actor, body.sector) if body.sector else None
    return accounts.NewAccount(
        username=body.username, role=body.role, display_name=body.display_name,
        jurisdiction=place, organisation=organisation, phone=body.phone, email=body.email,
        sector=sector,
    )  # fmt: skip


@router.get("/oversight/accounts", response=list[AccountOut],
            summary="Staff and official accounts in the jurisdiction, with last use")  # fmt: skip
@paginate
def account_list(request, role: str = "", active: str = "", q: str = ""):
    return accounts.accounts_for(request.user, role=role, active=active, query=q)


@router.post("/oversight/accounts", response={201: AccountOut},
             summary="Create an account; its activation link goes through the outbox")  # fmt: skip
def account_create(request, body: AccountIn):
    account, _link = accounts.create_account(request.user, _new_account(request.user, body))
    return Status(201, account)


@router.post("/oversight/accounts/import", response=ImportOut,
             summary="Create accounts from a CSV/XLSX file (line-numbered report)")  # fmt: skip
def account_bulk(request, file: UploadedFile = File(...)):
    upload_within_limit(file)
    return account_import.import_accounts(request.user, file.file, file.name).as_dict()


@router.post("/oversight/accounts/{account_id}/deactivate", response=AccountOut)
def account_deactivate(request, account_id: ObjectId):
    return accounts.set_active(request.user, account_id, False)


@router.post("/oversight/accounts/{account_id}/activate", response=AccountOut)
def account_reactivate(request, account_id: ObjectId):
    return accounts.set_active(request.user, account_id, True)


@router.post("/oversight/accounts/{account_id}/resend-activation", response=AccountOut)
def account_resend(request, account_id: ObjectId):
    return accounts.resend_activation(request.user, account_id)


@router.post("/oversight/accounts/{account_id}/reset-second-factor", response=AccountOut)
def account_reset_second_factor(request, account_id: ObjectId):
    return accounts.reset_second_factor(request.user, account_id)


class ApprovalOut(Schema):
    id: int
    action: str
    account_id: int
    username: str
    requested_by: str
    requested_at: datetime.datetime
    approved_at: datetime.datetime | None

    resolve_username = staticmethod(lambda a: a.account.username)
    resolve_requested_by = staticmethod(lambda a: a.requested_by.username)


@router.get("/oversight/approvals", response=list[ApprovalOut],
            summary="Changes to health accounts waiting for a second administrator")  # fmt: skip
def approvals(request):
    return list(duties.pending(request.user)[:200])


@router.post("/oversight/approvals/{approval_id}/approve", response=ApprovalOut,
             summary="Approve another administrator's change to a health account")  # fmt: skip
def approve(request, approval_id: ObjectId):
    return accounts.approve_duty(request.user, approval_id)
