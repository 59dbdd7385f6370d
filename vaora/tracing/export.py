"""The contact list as CSV or XLSX for the phone team: formula-safe, every cell typed as text,
and the export itself audited as a read of the case's data."""

from django.utils import timezone

from vaora.core import exports
from vaora.tracing import alerts, services

HEADER = ["F", "Họ tên / Name", "Điện thoại / Phone", "Địa điểm / Venue", "Khu vực / Zone",
          "Phương tiện / Vehicle", "Từ / From", "Đến / Until", "Phút chung / Overlap minutes",
          "Nguy cơ / Risk", "Trạng thái / State"]  # fmt: skip


def _local(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def contacts_response(user, case, fmt: str, filters: dict):
    rows = list(services.contacts(user, case, **filters))
    alerts.require_reveal(user, case, len(rows))
    services.record_read(user, case, "case.contacts_exported", len(rows))
    table = ([f"F{c.degree}", c.person.name, c.person.phone or "",
              c.venue.name if c.venue else "", c.zone.name if c.zone else "", c.transport_ref,
              _local(c.exposed_from), _local(c.exposed_until),
              "" if c.overlap_minutes is None else str(c.overlap_minutes), c.risk, c.state]
             for c in rows)  # fmt: skip
    return exports.response(fmt, HEADER, table, f"case-{case.pk}-contacts")
