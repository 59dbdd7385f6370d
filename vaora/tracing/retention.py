"""What tracing keeps, and for how long: what it derived from visits (contacts, notices,
exposure sites) goes with them; the case record (who traced, why) stays for accountability,
without its contacts."""

from vaora.core.retention import cutoff
from vaora.tracing.models import Contact, ExposureSite, Notice

PURGE = "the retention purge deletes what is past retention"


def purge(now) -> dict[str, int]:
    before = cutoff(now)
    return {
        "contacts": Contact.objects.for_system(PURGE).filter(exposed_until__lt=before).delete()[0],
        "notices": Notice.objects.for_system(PURGE).filter(created_at__lt=before).delete()[0],
        "exposure_sites": ExposureSite.objects.for_system(PURGE)
        .filter(ends_at__lt=before)
        .delete()[0],
    }


def findings_of(persons):
    """Where traces found these persons as contacts, for "my data": their visits were read."""
    return (
        Contact.objects.for_system("a person's own data")
        .filter(person__in=persons)
        .select_related("person", "venue")
        .order_by("-found_at")
    )
