"""The system administrators' Django admin names apps and models in Vietnamese."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_names_models_in_vietnamese(users, signed_in):
    page = signed_in(users["admin"]).get("/admin/").content.decode()
    for words in ("Đơn vị và địa điểm", "Người dân và tài khoản", "Nhật ký truy cập"):
        assert words in page, words
    assert "Organisations" not in page and "Audit events" not in page
