"""Phone numbers written in any common way normalise to one E.164 form; nonsense is refused with
a coded error in Vietnamese and English."""

import pytest

from vaora.people.identity import InvalidPhone, mask_phone, normalise_cccd, normalise_phone


@pytest.mark.parametrize(
    "spelling",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "091-234-5678",
        "+84912345678",
        "+84 912 345 678",
        "84912345678",
        "0084912345678",
        "912345678",  # leading zero lost in a spreadsheet
        "(+84) 912-345-678",
    ],
)
def test_it_normalises_every_common_spelling(spelling):
    assert normalise_phone(spelling) == "+84912345678"


def test_it_converts_pre_2018_eleven_digit_mobiles():
    assert normalise_phone("01686 123 456") == "+84386123456"
    assert normalise_phone("0120 123 4567") == "+84701234567"


def test_it_accepts_landlines():
    assert normalise_phone("0238 3844 555") == "+842383844555"  # Nghệ An landline


@pytest.mark.parametrize(
    "bad", ["", "abc", "091234567", "09123456789", "+1 202 555 0100", "0112345678", "12"]
)
def test_it_refuses_invalid_numbers_with_a_coded_bilingual_error(bad):
    with pytest.raises(InvalidPhone) as caught:
        normalise_phone(bad)
    assert caught.value.code == "invalid_phone"
    assert "không hợp lệ" in caught.value.message_vi
    assert "not valid" in caught.value.message_en


def test_it_masks_a_phone_for_display():
    assert mask_phone("+84912345678") == "091****678"


def test_it_validates_cccd_numbers():
    assert normalise_cccd("040 090 012 345") == "040090012345"
    with pytest.raises(Exception, match="invalid_cccd"):
        normalise_cccd("04009001234")
