"""`vaora load_places` loads the 2025 units (34 provinces, 3,321 communes; Nghệ An = 40 with 130
communes) into a tree that can also hold the pre-2025 three-tier units. Idempotent."""

import pytest
from django.core.management import call_command

from vaora.core.models import Place

pytestmark = pytest.mark.django_db


def current(level):
    return Place.objects.filter(scheme=Place.Scheme.CURRENT, level=level)


def test_it_loads_every_province_and_commune(capsys):
    call_command("load_places")
    assert current(Place.Level.PROVINCE).count() == 34
    assert current(Place.Level.COMMUNE).count() == 3321
    nghe_an = current(Place.Level.PROVINCE).get(code="40")
    assert nghe_an.name == "Nghệ An"
    assert current(Place.Level.COMMUNE).filter(parent=nghe_an).count() == 130
    assert "34 provinces, 3321 communes" in capsys.readouterr().out


def test_it_is_idempotent(capsys):
    call_command("load_places")
    call_command("load_places")
    assert current(Place.Level.COMMUNE).count() == 3321
    assert "0 created, 0 updated, 3355 unchanged" in capsys.readouterr().out


def test_it_keeps_a_subtree_in_one_path_prefix(places):
    nghe_an = current(Place.Level.PROVINCE).get(code="40")
    inside = Place.objects.filter(path__startswith=nghe_an.path).exclude(pk=nghe_an.pk)
    assert inside.count() == 130
    ward = inside.first()
    assert nghe_an.contains(ward) and not ward.contains(nghe_an)


def test_it_holds_legacy_three_tier_units_beside_current_ones(places):
    """Old codes may equal new ones; the scheme keeps them apart."""
    province = Place.objects.create(
        code="40", name="Nghệ An", level="province", scheme="legacy", province_code="40",
        path=Place.make_path("legacy", ["40"]),
    )  # fmt: skip
    district = Place.objects.create(
        code="412", name="Thành phố Vinh", level="district", scheme="legacy", parent=province,
        province_code="40", path=Place.make_path("legacy", ["40", "412"]),
    )  # fmt: skip
    Place.objects.create(
        code="16681", name="Phường Đông Vĩnh", level="commune", scheme="legacy", parent=district,
        province_code="40", path=Place.make_path("legacy", ["40", "412", "16681"]),
    )  # fmt: skip
    assert Place.objects.filter(code="16681", level="commune").count() == 2
    assert current(Place.Level.COMMUNE).count() == 3321
    assert Place.objects.filter(path__startswith=province.path).count() == 3


def test_a_renamed_unit_keeps_its_place_in_vietnamese_order():
    from vaora.core.vietnamese import order_text

    call_command("load_places")
    ward = current(Place.Level.COMMUNE).order_by("pk").first()
    Place.objects.filter(pk=ward.pk).update(name="Tên cũ", name_order=order_text("Tên cũ"))
    call_command("load_places")  # the package's name comes back, and its order key with it
    ward.refresh_from_db()
    assert ward.name != "Tên cũ" and ward.name_order == order_text(ward.name)
    assert not Place.objects.filter(name_order="").exists()
