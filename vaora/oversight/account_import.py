"""Provisioning a province's accounts from a spreadsheet: one row per account; bad rows are
reported with their line numbers and never stop the good ones; each good row gets its
activation link through the outbox. A user name already taken is a refused row (never a
change to someone's account)."""

from django.utils import translation

from vaora.core import audit
from vaora.core.errors import InvalidFields, VaoraError
from vaora.core.models import Place
from vaora.core.roles import Role
from vaora.core.tabular import header_key
from vaora.oversight import accounts, duties
from vaora.oversight.accounts import PROVISIONABLE, NewAccount, create_account
from vaora.venues.importer import ImportReport, RowError, each_row
from vaora.venues.models import Organisation

ALIASES = {
    **dict.fromkeys(["ten_dang_nhap", "tai_khoan", "username", "user_name", "login"], "username"),
    **dict.fromkeys(["ho_ten", "ten", "ten_hien_thi", "display_name", "name"], "display_name"),
    **dict.fromkeys(["vai_tro", "role"], "role"),
    **dict.fromkeys(["dia_ban", "ma_dia_ban", "ma_xa", "xa", "jurisdiction"], "jurisdiction"),
    **dict.fromkeys(["don_vi", "ma_so_thue", "ma_don_vi", "organisation", "organization"],
                    "organisation"),
    **dict.fromkeys(["dien_thoai", "so_dien_thoai", "sdt", "phone"], "phone"),
    **dict.fromkeys(["email", "thu_dien_tu", "e_mail"], "email"),
    **dict.fromkeys(["nganh", "ma_nganh", "linh_vuc", "sector"], "sector"),
}  # fmt: skip
ROLE_SYNONYMS = {
    "can_bo_giam_sat": Role.OVERSIGHT, "giam_sat": Role.OVERSIGHT, "can_bo_xa": Role.OVERSIGHT,
    "y_te": Role.HEALTH, "can_bo_y_te": Role.HEALTH, "tinh_nguyen_vien": Role.HELPER,
    "ho_tro": Role.HELPER, "quan_ly_don_vi": Role.ORG_MANAGER, "quan_ly": Role.ORG_MANAGER,
    "nhan_vien": Role.VENUE_STAFF,
}  # fmt: skip


def _roles() -> dict[str, str]:
    table = {header_key(r): r for r in PROVISIONABLE} | ROLE_SYNONYMS
    for language in ("vi", "en"):
        with translation.override(language):
            table |= {header_key(str(Role(r).label)): r for r in PROVISIONABLE}
    return table


def _place(code: str) -> Place | None:
    code = code.strip()
    if not code.isdigit():
        return None
    level, width = (Place.Level.PROVINCE, 2) if len(code) <= 2 else (Place.Level.COMMUNE, 5)
    places = Place.objects.filter(scheme=Place.Scheme.CURRENT, level=level)
    return places.filter(code=code.zfill(width)).first()


def _organisation(raw: str) -> Organisation | None:
    raw = "".join(raw.split()).upper()
    if not raw:
        return None
    found = Organisation.objects.filter(registry_code=raw).first()
    if found is None and raw.isdigit():
        found = Organisation.objects.filter(pk=int(raw)).first()
    return found


def _sector(actor, code: str):
    if not code.strip():
        return None
    try:
        return accounts.sector_by_code(actor, code)
    except InvalidFields:
        raise RowError("sector", "unknown_sector", f"Không có ngành mã {code!r}",
                       f"No sector has the code {code!r}") from None  # fmt: skip


def import_accounts(actor, raw, filename: str) -> ImportReport:
    duties.require_provisioner(actor)
    report = ImportReport()
    roles = _roles()

    def handle(values: dict, line: int) -> None:
        role = roles.get(header_key(values.get("role", "")))
        if role is None:
            raise RowError("role", "unknown_role", f"Vai trò {values.get('role', '')!r} không rõ",
                           f"Unknown role {values.get('role', '')!r}")  # fmt: skip
        new = NewAccount(
            username=values.get("username", ""), role=role,
            display_name=" ".join(values.get("display_name", "").split()),
            jurisdiction=_place(values.get("jurisdiction", "")),
            organisation=_organisation(values.get("organisation", "")),
            phone=values.get("phone", "").strip(), email=values.get("email", "").strip(),
            sector=_sector(actor, values.get("sector", "")),
        )  # fmt: skip
        if values.get("jurisdiction", "").strip() and new.jurisdiction is None:
            raise RowError("jurisdiction", "unknown_place", "Không có địa bàn mã này",
                           "No province or commune has this code")  # fmt: skip
        try:
            create_account(actor, new)
        except InvalidFields as error:
            field, messages = next(iter(error.fields.items()))
            vi, _slash, en = messages[0].partition(" / ")
            raise RowError(field, "invalid_value", vi, en or vi) from None
        except VaoraError as error:  # e.g. a health account from an oversight official
            raise RowError("role", error.code, error.message_vi, error.message_en) from None
        report.created += 1

    each_row(raw, filename, ALIASES, report, handle)
    audit.record(actor, "account.import", row_count=report.created,
                 details={"rejected": len(report.rejected)})  # fmt: skip
    return report
