"""Threat 9: officials and system administrators never create or change visits — not by a gate
scan, a hand entry, a gate's offline queue or a paper register (403, nothing stored)."""

import io
import uuid

import pytest

from vaora.people import codes
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db
ROLES = ["oversight", "health", "helper", "provincial_oversight", "admin"]


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
def test_it_refuses_every_door_that_records_a_visit(role, users, signed_in, tenant_a, citizen):
    client = signed_in(users[role])
    base = f"/api/v1/venues/{tenant_a.venue.pk}"
    scan = {"client_id": str(uuid.uuid4()), "code": codes.person_url(citizen.person)}
    answers = [
        post(client, f"{base}/scan", scan),
        post(client, f"{base}/assisted", {"client_id": str(uuid.uuid4()), "name": "Giả Mạo"}),
        post(client, f"{base}/staff-sync", {"items": [{"kind": "scan", "scan": scan}]}),
    ]
    register = io.BytesIO("ho_ten,so_dien_thoai,gio_vao\nGiả Mạo,0912000999,24/11/2026 08:00\n"
                          .encode())  # fmt: skip
    register.name = "so.csv"
    answers.append(client.post(f"{base}/paper-uploads", {"file": register}))
    assert [a.status_code for a in answers] == [403] * 4
    assert not Visit.rows.exists()
