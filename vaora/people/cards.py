"""Printable personal QR cards (ID-card size, ten to an A4 page) for people without a
smartphone: staff scan the card at the gate."""

import segno
from django.utils import timezone

from vaora.people import codes
from vaora.people.models import Person
from vaora.venues.posters import BRAND, QR_BORDER, _new_pdf, qr_runs

CARD_W, CARD_H = 85.6, 54.0  # ISO/IEC 7810 ID-1
MARGIN_X, MARGIN_Y = 14.0, 12.0
QR_SIZE = 40.0


def _card(pdf, x: float, y: float, person: Person) -> None:
    pdf.set_draw_color(150, 150, 150)
    pdf.rect(x, y, CARD_W, CARD_H)
    pdf.set_fill_color(*BRAND)
    pdf.rect(x, y, CARD_W, 8, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("poster", "B", 9)
    pdf.text(x + 3, y + 5.6, "THẺ QR CÁ NHÂN · vaora")
    matrix = segno.make(codes.person_url(person), error="m", micro=False).matrix
    unit = QR_SIZE / (len(matrix) + 2 * QR_BORDER)
    pdf.set_fill_color(0, 0, 0)
    for r, c, n in qr_runs(matrix):
        pdf.rect(x + 2 + (c + QR_BORDER) * unit, y + 11 + (r + QR_BORDER) * unit,
                 n * unit, unit, style="F")  # fmt: skip
    pdf.set_text_color(20, 24, 28)
    left = x + 2 + QR_SIZE + 2
    pdf.set_font("poster", "B", 10)
    pdf.set_xy(left, y + 12)
    pdf.multi_cell(CARD_W - QR_SIZE - 6, 4.6, person.name)
    pdf.set_font("poster", "", 8)
    if person.birth_year:
        pdf.set_x(left)
        pdf.multi_cell(CARD_W - QR_SIZE - 6, 4, f"Năm sinh: {person.birth_year}")
    pdf.set_x(left)
    note = "Đưa thẻ cho nhân viên quét khi vào/ra. Show this card to staff at the gate."
    pdf.multi_cell(CARD_W - QR_SIZE - 6, 3.6, note)


def cards_pdf(people: list[Person]) -> bytes:
    pdf = _new_pdf()
    per_page = 10
    for index, person in enumerate(people):
        if index % per_page == 0:
            pdf.add_page(format="A4")
            pdf.set_font("poster", "", 8)
            pdf.set_text_color(90, 90, 90)
            pdf.text(MARGIN_X, 8, f"vaora · in ngày {timezone.localdate():%d/%m/%Y}")
        slot = index % per_page
        _card(pdf, MARGIN_X + (slot % 2) * (CARD_W + 10), MARGIN_Y + (slot // 2) * (CARD_H + 3),
              person)  # fmt: skip
    return bytes(pdf.output())
