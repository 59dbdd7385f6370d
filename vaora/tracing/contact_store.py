"""The contacts a case already holds, read for comparison with a new trace: one raw statement
with times as whole microseconds (tracer_sql.epoch_us) — an F2 case holds tens of thousands,
and making a datetime of each stored time took half a second."""

from django.db import connection

from vaora.tracing.models import Contact
from vaora.tracing.tracer_sql import epoch_us, us


def exposures(case_id: int) -> dict[int, tuple]:
    """person → (contact id, degree, via, venue, zone, transport ref, from, until, overlap
    minutes, risk), times in microseconds."""
    sql = (f"SELECT person_id, id, degree, via_person_id, venue_id, zone_id, "  # noqa: S608
           f"transport_ref, {epoch_us('exposed_from')}, {epoch_us('exposed_until')}, "
           f"overlap_minutes, risk FROM {Contact._meta.db_table} WHERE case_id = %s")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, [case_id])
        return {row[0]: row[1:] for row in cursor.fetchall()}


def comparable(values: tuple) -> tuple:
    """An exposure's stored values (services.EXPOSURE_FIELDS) as exposures() reads them."""
    degree, via, venue, zone, ref, start, end, overlap, risk = values
    return (degree, via, venue, zone, ref, us(start), us(end), overlap, risk)
