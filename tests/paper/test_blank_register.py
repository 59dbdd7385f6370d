"""The printed blank register: the venue's name and code, its check-in QR (read back with a real
decoder), and the columns the upload expects, on as many A4 landscape pages as asked."""

import pytest

from tests.venues.test_posters import decode, opens_the_venue, pdf_text, rasterise
from vaora.core.roles import Role

pytestmark = pytest.mark.django_db


def test_it_prints_the_venue_its_qr_and_the_register_columns(users, signed_in, tenant_a):
    clerk = signed_in(users[Role.VENUE_STAFF])
    body = clerk.get(f"/venues/{tenant_a.venue.pk}/paper/register.pdf?pages=3").content
    texts = pdf_text(body)
    assert len(texts) == 3
    for heading in ("Họ và tên", "Số điện thoại", "Số CCCD", "Giờ vào", "Giờ ra",
                    "Sốt, ho, khó thở?", "Tiếp xúc F0?", tenant_a.venue.name,
                    tenant_a.venue.display_code):  # fmt: skip
        assert heading in texts[0], heading
    url = decode(rasterise("pdf", body)[0])
    opens_the_venue(clerk, url, tenant_a.venue.name)


def test_it_prints_one_page_for_a_nonsense_count_and_caps_a_huge_one(users, signed_in,
                                                                        tenant_a):  # fmt: skip
    clerk = signed_in(users[Role.VENUE_STAFF])
    url = f"/venues/{tenant_a.venue.pk}/paper/register.pdf"
    assert len(pdf_text(clerk.get(url + "?pages=abc").content)) == 1
    assert len(pdf_text(clerk.get(url + "?pages=100000").content)) == 50
