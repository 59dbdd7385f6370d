"""The signed codes on venue and zone posters, and how a scanned code resolves to a place."""

import struct
from dataclasses import dataclass

from vaora.core import signing
from vaora.core.signing import TokenError
from vaora.venues import codes
from vaora.venues.models import Venue, Zone

VERSION = struct.Struct(">H")
BODY_BYTES = codes.PACKED_BYTES + VERSION.size


@dataclass(frozen=True)
class Scanned:
    venue: Venue
    zone: Zone | None


def _body(obj) -> bytes:
    return codes.pack(obj.short_code) + VERSION.pack(obj.qr_version)


def token_for(obj: Venue | Zone) -> str:
    kind = signing.Kind.ZONE if isinstance(obj, Zone) else signing.Kind.VENUE
    return signing.sign(kind, _body(obj))


def qr_url(token: str) -> str:
    """The URL printed on a poster (see signing.code_url)."""
    return signing.code_url("V", token)


def url_for(obj: Venue | Zone) -> str:
    return qr_url(token_for(obj))


def not_a_place_code() -> TokenError:
    return TokenError(
        "not_a_venue_code",
        "Đây là mã QR hợp lệ nhưng không phải mã của một địa điểm.",
        "This is a valid code, but not the code of a venue.",
        400,
    )


def unknown_code() -> TokenError:
    return TokenError(
        "unknown_code",
        "Mã QR hợp lệ nhưng địa điểm không còn trong hệ thống. Hãy báo cho nhân viên.",
        "The code is genuine but the venue is no longer registered. Please tell the staff.",
        404,
    )


def revoked(reason: str) -> TokenError:
    suffix_vi = f" Lý do: {reason}." if reason else ""
    suffix_en = f" Reason: {reason}." if reason else ""
    return TokenError(
        "code_revoked",
        "Mã QR này đã bị thu hồi và không còn hiệu lực." + suffix_vi
        + " Hãy hỏi nhân viên hoặc điền tờ khai giấy tại đây.",
        "This code has been withdrawn and no longer works." + suffix_en
        + " Please ask the staff or fill in the paper form here.",
        410,
    )  # fmt: skip


def superseded() -> TokenError:
    return TokenError(
        "code_superseded",
        "Áp phích này là bản cũ, đã được thay bằng mã mới. "
        "Hãy quét áp phích mới hoặc hỏi nhân viên.",
        "This poster is an old one, replaced by a new code. Scan the new poster or ask the staff.",
        410,
    )


def resolve(token: str) -> Scanned:
    """Verifies a scanned token and finds its venue (and zone). Identity comes only from the
    signed body; every refusal has its own code."""
    verified = signing.verify(token)
    if verified.kind not in (signing.Kind.VENUE, signing.Kind.ZONE):
        raise not_a_place_code()
    if len(verified.body) != BODY_BYTES:
        raise signing.malformed()
    short_code = codes.unpack(verified.body[: codes.PACKED_BYTES])
    (version,) = VERSION.unpack(verified.body[codes.PACKED_BYTES :])
    if verified.kind == signing.Kind.ZONE:
        zone = Zone.objects.select_related("venue__commune").filter(short_code=short_code).first()
        if zone is None:
            raise unknown_code()
        _check_state(zone.venue, None)
        _check_state(zone, version)
        return Scanned(zone.venue, zone)
    venue = Venue.objects.select_related("commune").filter(short_code=short_code).first()
    if venue is None:
        raise unknown_code()
    _check_state(venue, version)
    return Scanned(venue, None)


def _check_state(obj, version: int | None) -> None:
    if obj.revoked_at is not None:
        raise revoked(obj.revoked_reason)
    if version is not None and version != obj.qr_version:
        raise superseded()


def find_by_short_code(raw: str) -> Scanned:
    """What typing the code under a poster resolves to (venue first, then zone)."""
    code = codes.normalise(raw)
    venue = Venue.objects.select_related("commune").filter(short_code=code).first()
    if venue is not None:
        _check_state(venue, None)
        return Scanned(venue, None)
    zone = Zone.objects.select_related("venue__commune").filter(short_code=code).first()
    if zone is None:
        raise unknown_code()
    _check_state(zone.venue, None)
    _check_state(zone, None)
    return Scanned(zone.venue, zone)
