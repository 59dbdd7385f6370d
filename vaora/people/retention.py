"""What people keeps, and for how long: declarations for the retention period; one-time codes
a day (they only feed rate limits after minutes); pass revocations until the passes expire."""

import datetime

from vaora.core.retention import cutoff
from vaora.people import passes
from vaora.people.models import HealthDeclaration, OtpChallenge, TravelDeclaration


def purge(now) -> dict[str, int]:
    before = cutoff(now)
    return {
        "health_declarations": HealthDeclaration.objects.filter(declared_at__lt=before).delete()[0],
        "travel_declarations": TravelDeclaration.objects.filter(declared_at__lt=before).delete()[0],
        "otp_challenges": OtpChallenge.objects.filter(
            created_at__lt=now - datetime.timedelta(days=1)).delete()[0],
        "pass_revocations": passes.forget_expired(now),
    }  # fmt: skip
