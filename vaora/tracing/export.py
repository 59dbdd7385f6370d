"""The contact list as CSV or XLSX for the phone team: formula-safe, every cell typed as text,
and the export itself audited as a read of the case's data."""

from django.utils import timezone

from vaora.core import exports
from vaora.tracing import alerts, reveal, services

HEADER = ["F", "Họ tên / Name", "Điện thoại / Phone", "Địa điểm / Venue", "Khu vực / Zone",
          "Phương tiện / Vehicle", "Từ / From", "Đến / Until", "Phút chung / Overlap minutes",
          "Nguy cơ / Risk", "Trạng thái / State"]  # fmt: skip


def _local(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def contacts_response(user, case, fmt: str, filters: dict):
    """A large export asks for a second official's approval (alerts.require_reveal); any export
    shows names and phones only as tracing/reveal.py allows — filters cannot add up to more."""
    services.require_open(case)
    rows = list(services.contacts(user, case, **filters))
    alerts.require_reveal(user, case, len(rows))
    revealed = reveal.revealed_ids(user, case)
    shown = [reveal.shown(c, revealed) for c in rows]
    services.record_read(user, case, "case.contacts_exported", sum(not s.masked for s in shown))
    table = ([f"F{c.degree}", s.name, s.phone or "",
              c.venue.name if c.venue else "", c.zone.name if c.zone else "", c.transport_ref,
              _local(c.exposed_from), _local(c.exposed_until),
              "" if c.overlap_minutes is None else str(c.overlap_minutes),
              str(c.get_risk_display()), str(c.get_state_display())]
             for c, s in zip(rows, shown, strict=True))  # fmt: skip
    return exports.response(fmt, HEADER, table, f"case-{case.pk}-contacts")
