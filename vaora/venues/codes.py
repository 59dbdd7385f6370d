"""Short public codes people can type when a camera fails: 8 characters from an alphabet with
no look-alikes (no 0/O, 1/I/L), shown as ABCD-EFGH, read back in any case with any separator."""

import re
import secrets

from vaora.core.errors import VaoraError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols
LENGTH = 8
PACKED_BYTES = 5  # 31**8 < 2**40
_INDEX = {symbol: i for i, symbol in enumerate(ALPHABET)}
_SEPARATORS = re.compile(r"[\s\-_.]")


class InvalidShortCode(VaoraError):
    def __init__(self):
        super().__init__(
            "invalid_short_code",
            "Mã địa điểm gồm 8 ký tự, ví dụ: ABCD-EF23.",
            "A venue code has 8 characters, for example ABCD-EF23.",
        )


def new_code(rng=None) -> str:
    """A random code; `rng` (a random.Random) makes it reproducible for demo data."""
    choose = rng.choice if rng is not None else secrets.choice
    return "".join(choose(ALPHABET) for _ in range(LENGTH))


def normalise(raw: str) -> str:
    """'abcd efgh' / 'ABCD-EFGH' → 'ABCDEFGH'; raises InvalidShortCode for anything else."""
    text = _SEPARATORS.sub("", str(raw or "")).upper()
    if len(text) != LENGTH or any(ch not in _INDEX for ch in text):
        raise InvalidShortCode()
    return text


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def pack(code: str) -> bytes:
    number = 0
    for ch in code:
        number = number * len(ALPHABET) + _INDEX[ch]
    return number.to_bytes(PACKED_BYTES, "big")


def unpack(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    symbols = []
    for _ in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        symbols.append(ALPHABET[digit])
    if number:
        raise InvalidShortCode()
    return "".join(reversed(symbols))
