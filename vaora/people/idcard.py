"""The QR code on the front of a chip-based citizen identity card (CCCD, issued since 2021):

    <12-digit number>|<old 9-digit ID, or empty>|<full name>|<birth date ddmmyyyy>|<sex>|
    <permanent address>|<issue date ddmmyyyy>

`read_card` checks it strictly and returns only what tracing and reaching the person need —
the number, the name, and the birth year (for venues that need it). The address, the old ID,
the exact birth date, sex and issue date are discarded here, in memory: never stored, never
logged, never returned (issue 17; docs/venue-operations.md, "Identity cards").

Tolerated, as real scanners produce them: a missing old-ID field, trailing separators, extra
whitespace, and text that a keyboard-wedge scanner decoded with the wrong code page (UTF-8 read
as Windows-1252/1258 or Latin-1). Anything else is refused with a coded error.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from vaora.core.errors import VaoraError

MAX_LENGTH = 600  # a real card's text is about 150–250 characters
# The first three digits of a CCCD number: the province of birth registration (the 63 GSO
# province codes in use when the cards were designed).
PROVINCES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 "
    "035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 "
    "070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)
# The fourth digit: century of birth and sex (0/1: 1900s man/woman, 2/3: 2000s, 4/5: 2100s).
CENTURY = {0: (1900, "m"), 1: (1900, "f"), 2: (2000, "m"), 3: (2000, "f"), 4: (2100, "m"),
           5: (2100, "f")}  # fmt: skip
SEX = {"nam": "m", "nữ": "f", "nu": "f", "male": "m", "female": "f"}
NAME = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+)+$")  # letters only, two words at least
MOJIBAKE = re.compile("[ÃÂÄÅÆÐ][\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                      "\u02c6\u02dc\u2013-\u203a]")  # fmt: skip


@dataclass(frozen=True)
class Card:
    number: str  # 12 digits
    name: str  # NFC, as written on the card
    birth_year: int


def refused(code: str, vi: str, en: str) -> VaoraError:
    return VaoraError(code, vi, en, 422)


def not_a_card() -> VaoraError:
    return refused("not_an_identity_card", "Đây không phải mã QR trên căn cước công dân.",
                   "This is not the QR code of a citizen identity card.")  # fmt: skip


def looks_like_card(text: str) -> bool:
    """Whether scanned text is meant as an identity card (then read_card decides if it is one)."""
    return "|" in text and re.match(r"^\s*\d{9,12}\s*\|", text) is not None


def _repaired(text: str) -> str:
    """Undoes the usual keyboard-wedge mojibake: UTF-8 bytes shown as Windows-1252, -1258 or
    Latin-1 characters (`Nguyá»…n` → `Nguyễn`)."""
    if not MOJIBAKE.search(text):
        return text
    for codec in ("cp1252", "cp1258", "latin-1"):
        try:
            fixed = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if not MOJIBAKE.search(fixed):
            return fixed
    return text


def _year_matches(number: str, year: int) -> bool:
    """Digits 4–6 of the number carry the century (with the sex) and the year of birth."""
    century = CENTURY.get(int(number[3]))
    return (
        century is not None
        and year // 100 * 100 == century[0]
        and (number[4:6] == f"{year % 100:02d}")
    )


def _date(text: str) -> datetime.date:
    if not re.fullmatch(r"\d{8}", text):
        raise refused("card_date_invalid", "Ngày trên thẻ không đúng dạng ngày tháng năm.",
                      "A date on the card is not a day, month and year.")  # fmt: skip
    try:
        return datetime.date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        raise refused("card_date_invalid", "Ngày trên thẻ không có thật.",
                      "A date on the card does not exist.") from None  # fmt: skip


def _fields(raw: str) -> list[str]:
    if len(raw) > MAX_LENGTH:
        raise refused("card_too_long", "Mã quá dài để là mã căn cước công dân.",
                      "The code is too long for an identity card.")  # fmt: skip
    text = unicodedata.normalize("NFC", _repaired(raw.strip()))
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise refused("card_unreadable", "Mã đọc được có ký tự điều khiển: hãy quét lại.",
                      "The code read has control characters: scan it again.")  # fmt: skip
    fields = [" ".join(f.split()) for f in text.split("|")]
    while len(fields) > 7 and fields[-1] == "":
        fields.pop()  # trailing separators
    if len(fields) == 6:  # no old-ID field at all
        fields.insert(1, "")
    if len(fields) != 7:
        raise not_a_card()
    return fields


def read_card(raw: str, today: datetime.date | None = None) -> Card:
    """The number, name and birth year of a card's QR text; raises a coded VaoraError (422)
    for anything that is not one."""
    number, old_id, name, born, sex_text, _address, issued = _fields(raw)
    today = today or datetime.date.today()
    if not re.fullmatch(r"\d{12}", number) or number[:3] not in PROVINCES:
        raise refused("card_number_invalid", "Số căn cước công dân trên thẻ không hợp lệ.",
                      "The identity number on the card is not valid.")  # fmt: skip
    if old_id and not re.fullmatch(r"\d{9}|\d{12}", old_id):
        raise not_a_card()
    birth = _date(born)
    _date(issued)
    sex = SEX.get(sex_text.casefold())
    century = CENTURY.get(int(number[3]))
    if sex is None or century is None or century[1] != sex or not _year_matches(number, birth.year):
        raise refused("card_number_invalid",
                      "Số căn cước không khớp với ngày sinh hoặc giới tính trên thẻ.",
                      "The identity number does not match the birth date or sex on the "
                      "card.")  # fmt: skip
    if not 1900 <= birth.year <= today.year or birth > today:
        raise refused("card_date_invalid", "Ngày sinh trên thẻ không hợp lệ.",
                      "The birth date on the card is not valid.")  # fmt: skip
    if not 2 <= len(name) <= 120 or not NAME.match(name):
        raise refused("card_name_invalid", "Họ tên trên thẻ không đọc được.",
                      "The name on the card cannot be read.")  # fmt: skip
    return Card(number, name, birth.year)


def masked_name(name: str) -> str:
    """Nguyễn Văn An → Nguyễn V. A.: enough for the gate to greet, not to identify."""
    words = name.split()
    return " ".join([words[0], *(w[0] + "." for w in words[1:])])


def read_minimum(number: str, name: str, birth_year: int | None) -> Card:
    """What a gate's offline queue kept of a card (it never keeps the rest): checked again
    here, as strictly as the card allows without the fields that were discarded."""
    number = (number or "").strip()
    name = " ".join(unicodedata.normalize("NFC", name or "").split())
    if not re.fullmatch(r"\d{12}", number) or number[:3] not in PROVINCES:
        raise refused("card_number_invalid", "Số căn cước công dân không hợp lệ.",
                      "The identity number is not valid.")  # fmt: skip
    century = CENTURY.get(int(number[3]))
    if century is None or (birth_year is not None and not _year_matches(number, birth_year)):
        raise refused("card_number_invalid", "Số căn cước không khớp với năm sinh.",
                      "The identity number does not match the birth year.")  # fmt: skip
    if not 2 <= len(name) <= 120 or not NAME.match(name):
        raise refused("card_name_invalid", "Họ tên không đọc được.", "The name cannot be read.")
    year = birth_year if birth_year is not None else century[0] + int(number[4:6])
    return Card(number, name, year)
