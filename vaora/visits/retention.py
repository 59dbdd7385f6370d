"""What visits keeps, and for how long: a visit goes when it ended before the retention cutoff."""

from vaora.core.retention import cutoff
from vaora.visits.models import Visit


def purge(now) -> dict[str, int]:
    return {"visits": Visit.objects.filter(ends_at__lt=cutoff(now)).delete()[0]}


def visits_of(persons):
    """A person's (and their dependants') visits, for "my data"."""
    return (Visit.objects.filter(person__in=persons).select_related("venue", "zone", "person")
            .order_by("-entered_at"))  # fmt: skip
