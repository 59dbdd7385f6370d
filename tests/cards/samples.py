"""Citizen identity cards as their QR codes say them (made up, realistic), and QR images of them
decoded back with a real decoder, as the tests of issue 17 use them."""

import io

import segno
import zxingcpp
from PIL import Image

ADDRESS = "Xóm 5, Xã Nghi Phong, Huyện Nghi Lộc, Nghệ An"


def card(number="040090012345", old="187654321", name="Nguyễn Văn An", born="15031990",
         sex="Nam", address=ADDRESS, issued="12082021") -> str:  # fmt: skip
    return "|".join([number, old, name, born, sex, address, issued])


def qr_image(text: str) -> Image.Image:
    out = io.BytesIO()
    segno.make(text, error="m", encoding="utf-8").save(out, kind="png", scale=6, border=4)
    return Image.open(out).convert("RGB")


def scanned(text: str) -> str:
    """What a camera reads from a QR of `text` (zxing-cpp, the decoder we test with)."""
    found = zxingcpp.read_barcodes(qr_image(text))
    assert len(found) == 1
    return found[0].text
