"""The contacts a case already holds, read for comparison with a new trace: one raw statement
with times as whole microseconds (core/epoch.epoch_us) — an F2 case holds tens of thousands,
and making a datetime of each stored time took half a second."""

from django.db import connection

from vaora.core.epoch import epoch_us, us
from vaora.tracing.models import Contact

# A contact's exposure as stored, in one order for the read, the comparison and the write:
# re-tracing rewrites only the contacts whose exposure changed.
EXPOSURE_FIELDS = ("degree", "via_person_id", "venue_id", "zone_id", "transport_ref",
                   "exposed_from", "exposed_until", "overlap_minutes", "risk")  # fmt: skip
TIMES = ("exposed_from", "exposed_until")


def exposures(case_id: int) -> dict[int, tuple]:
    """person → (contact id, *EXPOSURE_FIELDS), times in microseconds."""
    columns = ", ".join(epoch_us(f) if f in TIMES else f for f in EXPOSURE_FIELDS)
    sql = (f"SELECT person_id, id, {columns} FROM {Contact._meta.db_table} "  # noqa: S608
           f"WHERE case_id = %s")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, [case_id])
        return {row[0]: row[1:] for row in cursor.fetchall()}


def comparable(values: tuple) -> tuple:
    """An exposure's values (EXPOSURE_FIELDS) as exposures() reads them."""
    degree, via, venue, zone, ref, start, end, overlap, risk = values
    return (degree, via, venue, zone, ref, us(start), us(end), overlap, risk)
