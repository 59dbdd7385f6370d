"""Lists people pick from follow the Vietnamese alphabet — "Đ" after "D", letters before tones
("Hà Nội" before "Hải Phòng") — not code points, which put "Đ" after "Z"."""

from vaora.core.vietnamese import fold, sort_key


def test_it_sorts_names_in_vietnamese_order():
    names = ["Đồng Nai", "Điện Biên", "Cà Mau", "Cần Thơ", "An Giang", "Bắc Ninh", "Hà Nội",
             "Hải Phòng", "Huế", "Zô", "Dương Minh Châu"]  # fmt: skip
    assert sorted(names, key=sort_key) == [
        "An Giang", "Bắc Ninh", "Cà Mau", "Cần Thơ", "Dương Minh Châu", "Điện Biên", "Đồng Nai",
        "Hà Nội", "Hải Phòng", "Huế", "Zô"]  # fmt: skip


def test_it_folds_accents_for_searching():
    assert fold("  Phường  Trường Vinh ") == "phuong truong vinh"
    assert fold("ĐỒNG THÁP") == "dong thap"


def test_it_lists_communes_in_vietnamese_order_on_the_venue_form(places, db):
    from vaora.venues.forms import VenueForm

    form = VenueForm(province_code="40")
    labels = [str(label) for value, label in form.fields["commune"].choices if value]
    assert labels == sorted(labels, key=sort_key)
    assert any(label.startswith("Xã Đ") for label in labels)  # where code points go wrong
