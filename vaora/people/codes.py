"""Personal QR codes and travel-declaration QR codes, signed like venue posters. A personal
code identifies a person to venue staff; it never authorises reading their data (threat 5)."""

import datetime
import secrets
import struct

from django.utils import timezone

from vaora.core import signing
from vaora.core.errors import VaoraError
from vaora.people.models import Person, TravelDeclaration

TRAVEL_BODY = struct.Struct(">QI")  # declaration id, valid until (unix seconds)


def person_token(person: Person) -> str:
    if not person.qr_ref:
        person.qr_ref = secrets.token_hex(8)
        person.save(update_fields=["qr_ref"])
    return signing.sign(signing.Kind.PERSON, bytes.fromhex(person.qr_ref))


def person_url(person: Person) -> str:
    return signing.code_url("P", person_token(person))


def replace_person_code(person: Person) -> None:
    """A lost card: a new reference, so the old code no longer names anyone."""
    person.qr_ref = secrets.token_hex(8)
    person.save(update_fields=["qr_ref"])


def _wrong_kind() -> VaoraError:
    return VaoraError("wrong_code_kind", "Mã QR hợp lệ nhưng không đúng loại.",
                      "A genuine code, but not of the expected kind.", 400)  # fmt: skip


def resolve_person(token: str) -> Person:
    verified = signing.verify(token)
    if verified.kind != signing.Kind.PERSON or len(verified.body) != 8:
        raise _wrong_kind()
    person = (
        Person.objects.for_system("the person a scanned QR names")
        .filter(qr_ref=verified.body.hex())
        .first()
    )
    if person is None:
        raise VaoraError("person_code_replaced", "Mã cá nhân này đã được thay bằng mã mới.",
                         "This personal code has been replaced by a new one.", 410)  # fmt: skip
    return person


def travel_token(declaration: TravelDeclaration) -> str:
    body = TRAVEL_BODY.pack(declaration.pk, int(declaration.valid_until.timestamp()))
    return signing.sign(signing.Kind.TRAVEL, body)


def travel_url(declaration: TravelDeclaration) -> str:
    return signing.code_url("T", travel_token(declaration))


def resolve_travel(token: str) -> TravelDeclaration:
    """A checkpoint's check: genuine, still valid, still on record."""
    verified = signing.verify(token)
    if verified.kind != signing.Kind.TRAVEL or len(verified.body) != TRAVEL_BODY.size:
        raise _wrong_kind()
    pk, until = TRAVEL_BODY.unpack(verified.body)
    if datetime.datetime.fromtimestamp(until, tz=datetime.UTC) < timezone.now():
        raise VaoraError(
            "declaration_expired",
            "Tờ khai di chuyển đã hết hạn. Hãy khai báo lại.",
            "The travel declaration has expired. Please declare again.",
            410,
        )
    declarations = TravelDeclaration.objects.select_related(
        "from_commune__parent", "to_commune__parent", "person"
    )
    declaration = declarations.filter(pk=pk).first()
    if declaration is None:
        raise VaoraError("declaration_unknown", "Không còn tờ khai này trong hệ thống.",
                         "This declaration is no longer on record.", 404)  # fmt: skip
    return declaration
