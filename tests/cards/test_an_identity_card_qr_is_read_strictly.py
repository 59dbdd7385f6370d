"""The QR on a citizen identity card is read strictly (people/idcard.py): the variants real
scanners produce are accepted, anything else refused with a coded error — and only the number,
the name and the birth year come out of it."""

import pytest

from tests.cards.samples import ADDRESS, card, scanned
from vaora.core.errors import VaoraError
from vaora.people.idcard import Card, read_card

WANTED = Card("040090012345", "Nguyễn Văn An", 1990)


@pytest.mark.parametrize(("label", "text"), [
    ("as printed, decoded from its QR", scanned(card())),
    ("without an old ID", card(old="")),
    ("without the old ID field at all", card().replace("|187654321", "", 1)),
    ("with trailing separators", card() + "||"),
    ("with extra whitespace", "  " + card(name="  Nguyễn   Văn An ") + " \n"),
    ("UTF-8 read as Windows-1252 by a keyboard wedge", card().encode().decode("cp1252")),
    ("UTF-8 read as Windows-1258", card().encode().decode("cp1258")),
    ("UTF-8 read as Latin-1", card().encode().decode("latin-1")),
])  # fmt: skip
def test_it_reads_the_variants_real_scanners_produce(label, text):
    assert read_card(text) == WANTED, label


def test_it_keeps_the_name_as_written_in_nfc():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Trần Thị Bích Ngọc")
    read = read_card(card("040190012346", name=decomposed, born="01011990", sex="Nữ"))
    assert read.name == unicodedata.normalize("NFC", "Trần Thị Bích Ngọc")


@pytest.mark.parametrize(("label", "text", "code"), [
    ("a formula for a name", card(name='=HYPERLINK("http://x","x")'), "card_name_invalid"),
    ("5,000 characters", card(address="x" * 5000), "card_too_long"),
    ("control characters", card(name="Nguyễn\x07Văn An"), "card_unreadable"),
    ("an impossible province", card(number="099090012345"), "card_number_invalid"),
    ("a number for a woman on a man's card", card(number="040190012345"), "card_number_invalid"),
    ("a number of another birth year", card(number="040089012345"), "card_number_invalid"),
    ("a date that does not exist", card(born="31021990"), "card_date_invalid"),
    ("born in the future", card(number="040250012345", born="15032050"), "card_date_invalid"),
    ("too few fields", "040090012345|Nguyễn Văn An|15031990", "not_an_identity_card"),
    ("a personal vaora code", "HTTPS://VAORA.TEST/P/ABCDEFGH", "not_an_identity_card"),
])  # fmt: skip
def test_it_refuses_what_is_not_a_card_with_a_coded_error(label, text, code):
    with pytest.raises(VaoraError) as refused:
        read_card(text)
    assert (refused.value.code, refused.value.status) == (code, 422), label
    assert refused.value.message_vi and refused.value.message_en


def test_it_returns_nothing_of_the_address_birth_date_sex_or_issue_date():
    read = read_card(card())
    assert set(vars(read)) == {"number", "name", "birth_year"}
    assert ADDRESS not in repr(read) and "15031990" not in repr(read)
