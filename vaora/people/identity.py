"""Normalising the identifiers people write in many ways: phone numbers, CCCD numbers, names."""

import re
import unicodedata

from vaora.core.errors import VaoraError

_SEPARATORS = re.compile(r"[\s.\-()/]")

# Mobile prefixes renumbered in 2018 from 11 to 10 digits (old 01xx → new 0xx). Paper registers
# filled by older people still carry the old numbers.
_OLD_MOBILE_PREFIXES = {
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
    "0167": "037", "0168": "038", "0169": "039",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip


class InvalidPhone(VaoraError):
    def __init__(self):
        super().__init__(
            "invalid_phone",
            "Số điện thoại không hợp lệ. Ví dụ đúng: 0912 345 678 hoặc +84 912 345 678.",
            "The phone number is not valid. Examples: 0912 345 678 or +84 912 345 678.",
        )


class InvalidCccd(VaoraError):
    def __init__(self):
        super().__init__(
            "invalid_cccd",
            "Số CCCD phải gồm đúng 12 chữ số.",
            "A citizen identity (CCCD) number has exactly 12 digits.",
        )


def normalise_phone(raw: str) -> str:
    """Returns the E.164 form (+84…) of a Vietnamese mobile or landline number written as
    +84…, 0084…, 84… or 0…, with any spaces, dots, dashes or brackets; raises InvalidPhone."""
    text = _SEPARATORS.sub("", str(raw or "").strip())
    if text.startswith("+"):
        text = text[1:]
        if not text.startswith("84"):
            raise InvalidPhone()  # foreign numbers cannot receive our SMS
    elif text.startswith("0084"):
        text = text[2:]
    if not text.isdigit():
        raise InvalidPhone()
    if text.startswith("84") and len(text) in (11, 12):
        national = "0" + text[2:]
    elif text.startswith("0"):
        national = text
    elif len(text) == 9:  # the leading 0 was dropped, as spreadsheets do to numbers
        national = "0" + text
    else:
        raise InvalidPhone()
    if len(national) == 11 and national[:4] in _OLD_MOBILE_PREFIXES:
        national = _OLD_MOBILE_PREFIXES[national[:4]] + national[4:]
    is_mobile = len(national) == 10 and national[1] in "35789"
    is_landline = len(national) == 11 and national[1] == "2"
    if not (is_mobile or is_landline):
        raise InvalidPhone()
    return "+84" + national[1:]


def normalise_cccd(raw: str) -> str:
    text = _SEPARATORS.sub("", str(raw or "").strip())
    if len(text) != 12 or not text.isdigit():
        raise InvalidCccd()
    return text


def require_contact(phone: str, cccd: str) -> None:
    """The rule every door that enters a person for someone else follows (the gate's hand entry,
    paper registers): a phone or a CCCD number, so the person can be reached if a case needs
    it. (A card scan always carries its number.)"""
    if not (phone or "").strip() and not (cccd or "").strip():
        raise VaoraError("contact_required", "Cần số điện thoại hoặc số CCCD để liên lạc khi có "
                         "ca bệnh.", "A phone or CCCD number is needed to reach the person if "
                         "there is a case.", 422)  # fmt: skip


def normalise_name(raw: str) -> str:
    """NFC (Vietnamese typed on different keyboards arrives composed or decomposed), single
    spaces, at most 120 characters."""
    text = unicodedata.normalize("NFC", str(raw or ""))
    return " ".join(text.split())[:120]


def mask_phone(e164: str) -> str:
    """+84912345678 → 091*****678: enough for a person to recognise their own number."""
    national = "0" + e164[3:]
    return national[:3] + "*" * (len(national) - 6) + national[-3:]
