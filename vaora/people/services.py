"""Domain operations on persons."""

from vaora.core import audit
from vaora.core.errors import NotFound
from vaora.people.models import Person


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
