"""What tracing keeps, and for how long: what it derived from visits (contacts, notices,
exposure sites) goes with them; the case record (who traced, why) stays for accountability,
without its contacts."""

from vaora.core.retention import cutoff
from vaora.tracing.models import Contact, ExposureSite, Notice


def purge(now) -> dict[str, int]:
    before = cutoff(now)
    return {
        "contacts": Contact.objects.filter(exposed_until__lt=before).delete()[0],
        "notices": Notice.objects.filter(created_at__lt=before).delete()[0],
        "exposure_sites": ExposureSite.objects.filter(ends_at__lt=before).delete()[0],
    }


def findings_of(persons):
    """Where traces found these persons as contacts, for "my data": their visits were read."""
    return (Contact.objects.filter(person__in=persons).select_related("person", "venue")
            .order_by("-found_at"))  # fmt: skip
