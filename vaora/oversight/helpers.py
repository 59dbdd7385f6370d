"""Volunteer helpers (the province's unions, youth volunteers) register an organisation on its
owner's behalf, add its venues (they manage it until then, through venues.services.can_manage)
and hand it over: the organisation's manager gets an account and an activation link, and the
helper's rights end. Officials may register organisations the same way."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vaora.core import audit
from vaora.core.errors import InvalidFields, NotFound, VaoraError
from vaora.core.models import Place
from vaora.core.roles import Role
from vaora.core.scoping import place_in_area, role_of, sector_of
from vaora.oversight.accounts import NewAccount, create_account
from vaora.people.models import Person
from vaora.venues.models import Kind, Organisation
from vaora.visits.staff import identify_person

REGISTRARS = frozenset({Role.HELPER, Role.OVERSIGHT, Role.ADMIN})


def require_registrar(user) -> None:
    """Helpers and territory officials; a sector account oversees its organisations but does
    not register them (it could not hand them over: it provisions no accounts)."""
    if role_of(user) not in REGISTRARS or sector_of(user) is not None:
        raise VaoraError("not_a_registrar", "Chỉ tình nguyện viên hỗ trợ và cán bộ được đăng ký "
                         "đơn vị thay chủ cơ sở.", "Only helpers and officials register "
                         "organisations on an owner's behalf.", 403)  # fmt: skip


@transaction.atomic
def register_organisation(user, *, name: str, kind: str, commune: Place,
                          registry_code: str = "") -> Organisation:  # fmt: skip
    require_registrar(user)
    bad: dict[str, list[str]] = {}
    name = " ".join(name.split())
    code = "".join(registry_code.split()).upper()
    if not name or len(name) > 200:
        bad["name"] = ["Cần tên (tối đa 200 ký tự) / A name is needed (200 characters at most)"]
    if kind not in Kind.values:
        bad["kind"] = ["Loại hình không hợp lệ / Not a kind of venue"]
    if commune is None or commune.level != Place.Level.COMMUNE or not place_in_area(user, commune):
        bad["commune"] = ["Xã/phường ngoài địa bàn của bạn / Commune outside your area"]
    if code and Organisation.objects.filter(registry_code=code).exists():
        bad["registry_code"] = ["Mã số thuế đã được đăng ký / This tax code is registered"]
    if bad:
        raise InvalidFields(bad)
    organisation = Organisation.objects.create(name=name, kind=kind, commune=commune,
                                               registry_code=code, registered_by=user)  # fmt: skip
    audit.record(user, "organisation.register", target=organisation)
    return organisation


def registered_by(user):
    return Organisation.objects.filter(registered_by=user).select_related("commune")


@transaction.atomic
def hand_over(user, organisation_id: int, manager: NewAccount) -> tuple[Organisation, str]:
    """Creates the organisation's manager account (activation link through the outbox) and ends
    the helper's rights over it. Returns the organisation and the link."""
    require_registrar(user)
    organisation = Organisation.objects.visible_to(user).filter(pk=organisation_id).first()
    if organisation is None or (
        user.role == Role.HELPER and organisation.registered_by_id != user.pk
    ):
        raise NotFound("đơn vị", "organisation")
    if organisation.handed_over_at is not None:
        raise VaoraError("already_handed_over", "Đơn vị đã được bàn giao.",
                         "The organisation was already handed over.", 409)  # fmt: skip
    manager.role, manager.organisation = Role.ORG_MANAGER, organisation
    _account, link = create_account(user, manager)
    organisation.handed_over_at = timezone.now()
    organisation.save(update_fields=["handed_over_at"])
    audit.record(user, "organisation.hand_over", target=organisation)
    return organisation, link


@transaction.atomic
def sign_up_person(user, *, name: str, phone: str = "", cccd: str = "",
                   birth_year: int | None = None, home_commune: Place | None = None):  # fmt: skip
    """Assisted sign-up: a helper registers someone without a smartphone and prints their
    personal QR card. Only a person new to vaora: a card for someone already registered
    (found by CCCD, or phone and name) would let whoever knows their CCCD pass as them, so
    those reprint from their own account or at the commune office."""
    require_registrar(user)
    if home_commune is not None and not place_in_area(user, home_commune):
        raise InvalidFields({"home_commune": ["Ngoài địa bàn của bạn / Outside your area"]})
    known, name, phone, cccd = identify_person(name, phone, cccd)
    if known is not None:
        raise VaoraError("already_registered",
                         "Người này đã có trong vaora: họ in lại thẻ từ tài khoản của mình hoặc "
                         "tại UBND xã.", "This person is already in vaora: they reprint their "
                         "card from their account or at the commune office.", 409)  # fmt: skip
    if birth_year is not None and not 1900 <= birth_year <= timezone.localdate().year:
        raise InvalidFields({"birth_year": ["Năm sinh từ 1900 đến nay / Birth year from 1900 to "
                                            "now"]})  # fmt: skip
    person = Person(name=name, phone=phone or None, cccd=cccd or None, birth_year=birth_year,
                    home_commune=home_commune)  # fmt: skip
    try:
        person.full_clean(exclude=["name", "phone", "cccd"])
    except ValidationError as error:
        raise InvalidFields(
            {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
        ) from None
    person.save()
    audit.record(user, "person.assisted_sign_up", target=person, subject_person_id=person.pk)
    return person
