"""Vietnamese text as people search and sort it: without diacritics for matching ("truong
vinh" finds "Trường Vinh"), and in the alphabet's own order for lists (a ă â b c d đ e ê …,
tones after letters), not Unicode code points (which put "Đ" after "Z")."""

import unicodedata

# Marks that change the letter (ă â ê ô ơ ư) versus tone marks (huyền hỏi ngã sắc nặng).
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_ALPHABET = "abcdđefghijklmnopqrstuvwxyz"


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: what a search compares."""
    decomposed = unicodedata.normalize("NFD", str(text or "").replace("đ", "d").replace("Đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


def sort_key(text: str) -> tuple:
    """Dictionary order: letters (with their marks) first, then tones, then case."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFD", str(text or "")):
        if char in _TONES:
            tones[-1:] = [_TONES[char]] if tones else []
        elif char in _LETTER_MARKS and letters:
            base = letters[-1]
            letters[-1] = (base[0], _LETTER_MARKS[char])
        else:
            lower = char.lower()
            rank = _ALPHABET.find(lower)
            if char.isspace():
                rank = -1  # word by word: "Hà Nội" before "Hải Phòng"
            elif rank < 0:
                rank = 100 + ord(lower)
            letters.append((rank, 0))
            tones.append(0)
    return (letters, tones, text)


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, remainder = divmod(number, 36)
        digits.append(_DIGITS[remainder])
    return "".join(reversed(digits))


def order_text(text: str) -> str:
    """sort_key as plain text that sorts the same byte by byte *and* under any database
    collation (only 0-9 and a-z, fixed-width tokens): what a stored, indexed column holds so a
    long list is ordered by the database in Vietnamese order. Each letter is "1" + its rank
    (4 base-36 digits) + its mark; "0" ends the letters (a shorter name first); one digit per
    letter for its tone follows."""
    letters, tones, _ = sort_key(text)
    encoded = "".join("1" + _base36(min(rank + 1, 36**4 - 1), 4) + str(mark)
                      for rank, mark in letters)  # fmt: skip
    return encoded + "0" + "".join(str(tone) for tone in tones)
