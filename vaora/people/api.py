"""API routes for persons. Responses never carry a full phone or CCCD number."""

from ninja import Router, Schema
from ninja.security import django_auth

from vaora.people import services
from vaora.people.identity import mask_phone
from vaora.people.models import Person

router = Router(tags=["people"], auth=django_auth)


class PersonOut(Schema):
    id: int
    name: str
    phone_masked: str | None
    has_cccd: bool
    birth_year: int | None
    home_commune_code: str | None
    guardian_id: int | None

    @staticmethod
    def resolve_phone_masked(person: Person) -> str | None:
        return mask_phone(person.phone) if person.phone else None

    @staticmethod
    def resolve_has_cccd(person: Person) -> bool:
        return person.cccd_index is not None

    @staticmethod
    def resolve_home_commune_code(person: Person) -> str | None:
        return person.home_commune.code if person.home_commune else None


@router.get("/{person_id}", response=PersonOut, summary="One person (self, dependant, or in scope)")
def get_person(request, person_id: int):
    return services.read_person(request.user, person_id)
