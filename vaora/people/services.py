"""Domain operations on persons and citizen accounts."""

import secrets

from django.db import transaction
from django.utils import timezone

from vaora.core import audit
from vaora.core.crypto import blind_indexes
from vaora.core.errors import InvalidFields, NotFound, VaoraError
from vaora.core.roles import Role
from vaora.people.identity import normalise_cccd, normalise_name
from vaora.people.models import Account, Consent, Person


def read_person(user, person_id: int) -> Person:
    """Returns a person the user may see; a read by anyone but the person (or their guardian)
    is written to the audit log, which the person can see."""
    person = (
        Person.objects.visible_to(user).select_related("home_commune").filter(pk=person_id).first()
    )
    if person is None:
        raise NotFound("người", "person")
    own = user.person_id is not None and user.person_id in (person.pk, person.guardian_id)
    if not own:
        audit.record(user, "person.read", target=person, subject_person_id=person.pk, row_count=1)
    return person


# --- citizens: sign-in, profile, consent ----------------------------------------------------

CONSENT_VERSION = "2026-11"


@transaction.atomic
def citizen_for_phone(phone: str) -> Account:
    """The citizen account of a proven phone number, creating it on first sign-in. A person
    already entered by staff or from a paper register with this phone is claimed, not copied."""
    indexes = blind_indexes("phone", phone)
    account = Account.objects.filter(role=Role.CITIZEN, person__phone_index__in=indexes).first()
    if account is not None:
        return account
    person = (
        Person.objects.for_system("sign-in with a proven phone")
        .filter(phone_index__in=indexes, guardian__isnull=True, account__isnull=True)
        .order_by("created_at", "id")
        .first()
    )
    if person is None:
        person = Person.objects.create(name="", phone=phone)
    account = Account(username=f"citizen-{secrets.token_hex(8)}", role=Role.CITIZEN, person=person)
    account.set_unusable_password()  # citizens sign in with a code sent to their phone
    account.save()
    audit.record(account, "citizen.signup", target=person, subject_person_id=person.pk)
    return account


def needs_profile(account: Account) -> bool:
    return account.role == Role.CITIZEN and not (account.person and account.person.name)


def needs_consent(account: Account) -> bool:
    if account.role != Role.CITIZEN or account.person_id is None:
        return False
    return not Consent.objects.filter(person_id=account.person_id, version=CONSENT_VERSION).exists()


def record_consent(account: Account) -> None:
    Consent.objects.get_or_create(person_id=account.person_id, version=CONSENT_VERSION)
    audit.record(account, "citizen.consent", subject_person_id=account.person_id,
                 details={"version": CONSENT_VERSION})  # fmt: skip


def save_person(person: Person, data: dict) -> Person:
    """Validates and saves a person's profile fields (name, birth year, CCCD, home commune);
    raises InvalidFields with bilingual messages."""
    errors: dict[str, list[str]] = {}
    name = normalise_name(data.get("name", ""))
    if len(name) < 2:
        errors["name"] = ["Cần nhập họ tên / A full name is required"]
    birth_year = data.get("birth_year")
    if birth_year is not None and not 1900 <= int(birth_year) <= timezone.now().year:
        errors["birth_year"] = ["Năm sinh từ 1900 đến nay / Birth year from 1900 to now"]
    cccd = (data.get("cccd") or "").strip()
    taken = None
    if cccd:
        try:
            cccd = normalise_cccd(cccd)
        except VaoraError as error:
            errors["cccd"] = [f"{error.message_vi} / {error.message_en}"]
        else:
            taken = (
                Person.objects.for_system("is this CCCD someone else's")
                .filter(cccd_index__in=blind_indexes("cccd", cccd))
                .exclude(pk=person.pk)
                .first()
            )
            if taken is not None and not _claimable(person, taken, name):
                errors["cccd"] = ["Số CCCD đã được dùng / This CCCD is already registered"]
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic():
        if cccd and taken is not None:
            _claim(person, taken)
        person.name, person.birth_year, person.cccd = name, birth_year, cccd or None
        if "home_commune" in data:
            person.home_commune = data["home_commune"]
        person.save()
    return person


def _claimable(person: Person, walk_in: Person, name: str) -> bool:
    """A citizen (their phone proven by a code) may take over the walk-in a gate or a paper
    register made from their identity card: one with no account and no guardian, under the same
    name, and with no phone or the citizen's own. A CCCD number is not a secret — it is printed
    and photocopied everywhere — so the number alone must not hand over someone's visits."""
    if not person.phone or walk_in.guardian_id or walk_in.dependants.exists():
        return False
    if Account.objects.filter(person=walk_in).exists():
        return False
    same_name = normalise_name(walk_in.name).casefold() == name.casefold()
    return same_name and walk_in.phone in (None, "", person.phone)


def _claim(person: Person, walk_in: Person) -> None:
    """Moves everything recorded about the walk-in (visits, cases, notices, declarations) to the
    citizen's person and deletes the walk-in: one person, whichever door met them first.
    Audited, with how many rows moved."""
    moved = 0
    for relation in Person._meta.related_objects:
        if relation.one_to_one or relation.related_model is Person:
            continue  # the account (none: claimable), dependants (none: claimable)
        model = relation.related_model
        rows = (model.objects.for_system("a citizen claims their walk-in")
                if hasattr(model.objects, "for_system") else model.objects.all())  # fmt: skip
        moved += rows.filter(**{relation.field.name: walk_in}).update(
            **{relation.field.name: person}
        )
    walk_in_id = walk_in.pk
    walk_in.delete()
    audit.record(
        Account.objects.get(person=person), "citizen.claimed_walk_in", target=person,
        subject_person_id=person.pk, row_count=moved, details={"walk_in": walk_in_id},
    )  # fmt: skip


# --- family: dependants without a phone of their own ----------------------------------------

MAX_DEPENDANTS = 15


def add_dependant(account: Account, data: dict) -> Person:
    """A family member checked in with the account holder's scans (a child, an elderly
    relative); at most MAX_DEPENDANTS. Audited."""
    guardian = account.person
    if guardian.dependants.count() >= MAX_DEPENDANTS:
        raise VaoraError(
            "too_many_dependants", f"Tối đa {MAX_DEPENDANTS} người trong gia đình.",
            f"At most {MAX_DEPENDANTS} family members.", 422,
        )  # fmt: skip
    name = normalise_name(data.get("name", ""))
    birth_year = data.get("birth_year")
    problems = {}
    if len(name) < 2:
        problems["name"] = ["Cần nhập họ tên / A full name is required"]
    if birth_year is None or not 1900 <= int(birth_year) <= timezone.now().year:
        problems["birth_year"] = ["Năm sinh từ 1900 đến nay / Birth year from 1900 to now"]
    if problems:
        raise InvalidFields(problems)
    dependant = Person.objects.create(guardian=guardian, home_commune=guardian.home_commune,
                                      name=name, birth_year=int(birth_year))  # fmt: skip
    audit.record(account, "citizen.dependant_added", target=dependant,
                 subject_person_id=dependant.pk)  # fmt: skip
    return dependant


def remove_dependant(account: Account, person_id: int) -> None:
    """Deletes a family member and their data (visits, declarations). Audited."""
    dependant = account.person.dependants.filter(pk=person_id).first()
    if dependant is None:
        raise NotFound("người trong gia đình", "family member")
    audit.record(account, "citizen.dependant_removed", subject_person_id=dependant.pk)
    dependant.delete()
