"""Lists people pick from follow the Vietnamese alphabet — "Đ" after "D", letters before tones
("Hà Nội" before "Hải Phòng") — not code points, which put "Đ" after "Z": pick lists sorted in
Python, long lists by the database on a stored order key (core.fields.VietnameseOrderField)."""

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


def test_the_stored_order_key_sorts_like_the_alphabet():
    from vaora.core.vietnamese import order_text

    names = ["Đồng Nai", "Điện Biên", "Cà Mau", "Cần Thơ", "An Giang", "Ăn uống", "Âu Cơ", "A",
             "Hà Nội", "hà nội 2", "Hải Phòng", "Hạ Long", "Ha", "Zô", "Xưởng 10",
             "Xưởng 9"]  # fmt: skip
    assert sorted(names, key=order_text) == sorted(names, key=sort_key)
    assert set("".join(order_text(n) for n in names)) <= set("0123456789abcdefghijklmnopqrstuvwxyz")


def test_long_lists_are_ordered_by_the_database_in_vietnamese_order(db, users, tenant_a, signed_in):
    """The organisation's venue list (and the oversight list, which sorts by the same column):
    "Đ" after "D" and before "X", where code points put it after "Z"."""
    from vaora.core.roles import Role
    from vaora.venues.models import Venue, assign_codes

    names = ["Xưởng may", "Đại lý vé", "Dịch vụ", "Bưu điện", "Zalo quán"]
    venues = [
        Venue(
            organisation=tenant_a.organisation,
            name=name,
            kind="market",
            commune=tenant_a.commune,
            default_stay_minutes=60,
        )
        for name in names
    ]
    assign_codes(venues)
    Venue.objects.bulk_create(venues)  # as the demo and the spreadsheet import do
    assert not Venue.objects.filter(name_order="").exists()  # bulk inserts get the key too
    listed = list(tenant_a.organisation.venues.values_list("name", flat=True))
    assert listed == sorted(listed, key=sort_key)
    page = signed_in(users[Role.ORG_MANAGER]).get(f"/org/{tenant_a.organisation.pk}/")
    text = page.content.decode()
    positions = [text.index(name) for name in ["Bưu điện", "Dịch vụ", "Đại lý vé", "Xưởng may"]]
    assert positions == sorted(positions)
