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
