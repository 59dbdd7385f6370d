"""One line of a paper register, as a clerk typed it: read, normalised and checked on its own.

Dates arrive as `dd/mm/yyyy hh:mm` (also with `-` or `.`, seconds, or the time first), ISO 8601,
Excel serial numbers (what a date cell becomes in a CSV saved by Excel), `8h30`, or only a time
(`17:30`, on the date column's day or the day of entry). Times without a zone are Vietnam's."""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from vaora.core.errors import VaoraError
from vaora.people.identity import (
    normalise_cccd,
    normalise_name,
    normalise_phone,
    require_contact,
)
from vaora.visits import rules

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = datetime.UTC
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)

ALIASES = {
    **dict.fromkeys(["ho_ten", "ho_va_ten", "ten", "ten_khach", "name", "full_name"], "name"),
    **dict.fromkeys(["so_dien_thoai", "dien_thoai", "sdt", "so_dt", "phone", "phone_number"],
                    "phone"),
    **dict.fromkeys(["cccd", "so_cccd", "can_cuoc", "cmnd", "cccd_cmnd", "so_cccd_cmnd",
                     "id_number"], "cccd"),
    **dict.fromkeys(["ngay", "ngay_den", "date"], "date"),
    **dict.fromkeys(["gio_vao", "thoi_gian_vao", "vao", "time_in", "entered_at", "check_in"],
                    "time_in"),
    **dict.fromkeys(["gio_ra", "thoi_gian_ra", "ra", "time_out", "left_at", "check_out"],
                    "time_out"),
    **dict.fromkeys(["sot_ho_kho_tho", "trieu_chung", "co_trieu_chung", "symptoms"], "symptoms"),
    **dict.fromkeys(["tiep_xuc_f0", "tiep_xuc", "tiep_xuc_ca_benh", "contact",
                     "contact_with_case"], "contact"),
    **dict.fromkeys(["khu_vuc", "cong", "zone"], "zone"),
}  # fmt: skip
REQUIRED_COLUMNS = ("name", "time_in")

_DMY = re.compile(
    r"^(?:(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s+)?"  # time first: "08:30 24/11/2026"
    r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
    r"(?:[\sT,]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$"
)
_TIME = re.compile(r"^(\d{1,2})(?:[:h](\d{2})?)(?::(\d{2}))?$")
_SERIAL = re.compile(r"^\d{4,5}(?:[.,]\d+)?$")
_YES = frozenset(["co", "có", "c", "x", "yes", "y", "1", "true", "✓", "v"])
_NO = frozenset(["khong", "không", "k", "ko", "no", "n", "0", "false", "-"])


class RowError(Exception):
    """Why one line is refused: a code, the column, and the reason in both languages."""

    def __init__(self, column: str, code: str, vi: str, en: str):
        super().__init__(code)
        self.column, self.code, self.vi, self.en = column, code, vi, en


@dataclass(slots=True)
class RegisterRow:
    line: int
    name: str
    phone: str  # E.164 or ""
    cccd: str  # 12 digits or ""
    entered_at: datetime.datetime  # aware, UTC
    left_at: datetime.datetime | None
    zone: str  # as written; matched against the venue's zones by the importer
    symptoms: bool | None  # None: not answered
    contact: bool | None


def missing_columns(columns) -> VaoraError | None:
    absent = [c for c in REQUIRED_COLUMNS if c not in columns]
    if "phone" not in columns and "cccd" not in columns:
        absent.append("phone/cccd")
    if not absent:
        return None
    names = ", ".join(absent)
    return VaoraError(
        "missing_columns",
        f"Tệp thiếu cột: {names}. Hãy dùng tệp mẫu của vaora (ho_ten, so_dien_thoai, cccd, "
        "gio_vao, gio_ra).",
        f"The file lacks columns: {names}. Use vaora's template (ho_ten, so_dien_thoai, cccd, "
        "gio_vao, gio_ra).",
        400,
    )


def _local(year, month, day, hour=0, minute=0, second=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=VIETNAM)


def parse_when(text: str, day: datetime.date | None = None) -> datetime.datetime:
    """A date and time written on a register → aware datetime; `day` completes a bare time.
    Raises ValueError when the text is no date this module knows."""
    text = text.strip().lstrip("'")
    match = _DMY.match(text)
    if match:
        h1, m1, s1, d, mo, y, h2, m2, s2 = match.groups()
        hour, minute, second = (h1, m1, s1) if h1 else (h2, m2, s2)
        return _local(int(y), int(mo), int(d), int(hour or 0), int(minute or 0),
                      int(second or 0))  # fmt: skip
    match = _TIME.match(text)
    if match and day is not None:
        hour, minute, second = match.groups()
        return _local(day.year, day.month, day.day, int(hour), int(minute or 0),
                      int(second or 0))  # fmt: skip
    if _SERIAL.match(text):
        serial = float(text.replace(",", "."))
        if not 20000 <= serial <= 80000:  # 1954 … 2119: anything else is not a date
            raise ValueError(text)
        naive = EXCEL_EPOCH + datetime.timedelta(days=serial)
        naive = naive.replace(microsecond=0) + datetime.timedelta(
            seconds=round(naive.microsecond / 1e6)
        )
        return naive.replace(tzinfo=VIETNAM)
    parsed = datetime.datetime.fromisoformat(text)  # ISO 8601, with or without a zone
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM)


def _yes_no(text: str, column: str) -> bool | None:
    word = text.strip().lower()
    if not word:
        return None
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise RowError(column, "not_yes_no", "Chỉ ghi “có” hoặc “không”.", "Write “yes” or “no”.")


def _date_column(values: dict) -> datetime.date | None:
    text = values.get("date", "")
    if not text:
        return None
    try:
        return parse_when(text).date()
    except ValueError:
        raise RowError("date", "invalid_date", "Ngày không đúng (ví dụ 24/11/2026).",
                       "The date is not valid (e.g. 24/11/2026).") from None  # fmt: skip


@lru_cache(maxsize=65536)
def _utc(text: str, day) -> datetime.datetime:
    """parse_when in UTC, remembered: a register repeats the same minutes (and the same
    phones, below) many times, and a million lines should not parse them a million times."""
    return parse_when(text, day).astimezone(UTC)


@lru_cache(maxsize=65536)
def _phone(text: str) -> str:
    return normalise_phone(text)


def _when(values: dict, column: str, day) -> datetime.datetime | None:
    text = values.get(column, "")
    if not text:
        return None
    try:
        return _utc(text, day)
    except ValueError:
        raise RowError(
            column, "invalid_time",
            "Thời gian không đúng. Ghi như 24/11/2026 08:30, 2026-11-24 08:30 hoặc 08:30 "
            "(khi có cột ngày).",
            "The time is not valid. Write e.g. 24/11/2026 08:30, 2026-11-24 08:30, or 08:30 "
            "(with a date column).",
        ) from None  # fmt: skip


def _identity(values: dict) -> tuple[str, str, str]:
    name = normalise_name(values.get("name", "").lstrip("'"))
    if len(name) < 2:
        raise RowError("name", "name_required", "Thiếu họ tên.", "The name is missing.")
    phone_text = values.get("phone", "").lstrip("'")
    cccd_text = values.get("cccd", "").lstrip("'")
    if cccd_text.isdigit() and 10 <= len(cccd_text) < 12:
        # A CCCD starts with its province code (001–096); spreadsheets that took it for a
        # number dropped those leading zeros.
        cccd_text = cccd_text.zfill(12)
    try:
        phone = _phone(phone_text) if phone_text else ""
    except VaoraError as error:
        raise RowError("phone", error.code, error.message_vi, error.message_en) from None
    try:
        cccd = normalise_cccd(cccd_text) if cccd_text else ""
    except VaoraError as error:
        raise RowError("cccd", error.code, error.message_vi, error.message_en) from None
    try:
        require_contact(phone, cccd)
    except VaoraError as error:
        raise RowError("phone", error.code, error.message_vi, error.message_en) from None
    return name, phone, cccd


def read_row(line: int, values: dict, now: datetime.datetime,
             window: rules.Window) -> RegisterRow:  # fmt: skip
    """Checks one line; raises RowError naming the first problem."""
    name, phone, cccd = _identity(values)
    day = _date_column(values)
    entered = _when(values, "time_in", day)
    if entered is None:
        raise RowError("time_in", "time_in_required", "Thiếu giờ vào.", "The time in is missing.")
    left = _when(values, "time_out", entered.astimezone(VIETNAM).date())
    try:  # the window every door uses (visits.rules), in its paper mode
        rules.check_time(entered, now, rules.Mode.PAPER, window)
    except VaoraError as error:
        raise RowError("time_in", error.code, error.message_vi, error.message_en) from None
    if left is not None and left > now + rules.CLOCK_SKEW:
        error = rules.in_future()
        raise RowError("time_out", error.code, error.message_vi, error.message_en)
    if left is not None and left < entered:
        error = rules.exit_before_entry()
        raise RowError("time_out", error.code, error.message_vi, error.message_en)
    return RegisterRow(
        line, name, phone, cccd, entered, left, values.get("zone", ""),
        _yes_no(values.get("symptoms", ""), "symptoms"),
        _yes_no(values.get("contact", ""), "contact"),
    )  # fmt: skip
