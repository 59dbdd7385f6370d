"""The lean check-in path beside Django: same rules and refusals as the page, authenticated by
a signed pass, acknowledged only after commit, and idempotent under retries."""

import uuid

import pytest

from tests.ingest.asgi_client import call
from vaora.ingest.directory import directory
from vaora.people import passes
from vaora.venues import tokens
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_directory():
    directory.clear()
    yield
    directory.clear()


def check_in(person, venue, client_id=None, **extra):
    body = {"client_id": str(client_id or uuid.uuid4()), "token": tokens.token_for(venue)} | extra
    return call("/ingest/v1/check-in", body, passes.issue(person.pk))


def test_it_stores_a_check_in_once_however_often_it_is_sent(tenant_a):
    scan = uuid.uuid4()
    answers = [check_in(tenant_a.person, tenant_a.venue, scan) for _ in range(3)]
    assert [a[0] for a in answers] == [201, 200, 200]
    assert [a[1]["status"] for a in answers] == ["stored", "duplicate", "duplicate"]
    visit = Visit.rows.get()
    assert (visit.person, visit.venue, visit.source) == (
        tenant_a.person,
        tenant_a.venue,
        "self_scan",
    )
    assert (visit.ends_at - visit.entered_at).total_seconds() == 4 * 3600


def test_it_applies_the_page_rules_extend_and_close(tenant_a):
    check_in(tenant_a.person, tenant_a.venue)
    assert check_in(tenant_a.person, tenant_a.venue)[1]["status"] == "extended"
    status, answer = check_in(tenant_a.person, tenant_a.zone)
    assert status == 201
    first = Visit.rows.get(zone__isnull=True)
    assert first.left_at is not None and first.left_at == first.ends_at
    assert Visit.rows.count() == 2


def test_it_checks_out_through_the_fast_path(tenant_a):
    scan = uuid.uuid4()
    check_in(tenant_a.person, tenant_a.venue, scan)
    token = passes.issue(tenant_a.person.pk)
    leave = {"client_id": str(uuid.uuid4()), "visit_client_id": str(scan)}
    assert call("/ingest/v1/check-out", leave, token)[1]["status"] == "stored"
    assert call("/ingest/v1/check-out", leave, token)[1]["status"] == "duplicate"
    assert Visit.rows.get().left_at is not None


@pytest.mark.parametrize(
    ("mutate", "status", "code"),
    [
        (lambda t: t[:10] + ("A" if t[10] != "A" else "B") + t[11:], 400, "bad_signature"),
        (lambda t: "NOTATOKEN", 400, "token_malformed"),
    ],
)
def test_it_refuses_forged_codes_like_the_page(tenant_a, mutate, status, code):
    token = passes.issue(tenant_a.person.pk)
    body = {"client_id": str(uuid.uuid4()), "token": mutate(tokens.token_for(tenant_a.venue))}
    answered, answer = call("/ingest/v1/check-in", body, token)
    assert (answered, answer["code"]) == (status, code)
    assert not Visit.rows.exists()


def test_it_refuses_revoked_and_superseded_posters(tenant_a):
    old = tokens.token_for(tenant_a.venue)
    tenant_a.venue.mark_reissued()
    tenant_a.venue.save()
    directory.clear()
    body = {"client_id": str(uuid.uuid4()), "token": old}
    status, answer = call("/ingest/v1/check-in", body, passes.issue(tenant_a.person.pk))
    assert (status, answer["code"]) == (410, "code_superseded")


def test_it_refuses_a_missing_forged_or_expired_pass(tenant_a):
    body = {"client_id": str(uuid.uuid4()), "token": tokens.token_for(tenant_a.venue)}
    assert call("/ingest/v1/check-in", body)[0] == 401
    forged = passes.issue(tenant_a.person.pk).rsplit(".", 1)[0] + ".AAAAAAAAAAAAAAAAAAAAAAAA"
    assert call("/ingest/v1/check-in", body, forged)[0] == 401
    expired = passes.issue(tenant_a.person.pk, now=1_000_000)
    assert call("/ingest/v1/check-in", body, expired)[0] == 401
    assert not Visit.rows.exists()


def test_it_refuses_bad_input_with_coded_errors_never_a_500(tenant_a):
    token = passes.issue(tenant_a.person.pk)
    assert call("/ingest/v1/check-in", b"{not json", token)[1]["code"] == "invalid_input"
    assert call("/ingest/v1/check-in", {"client_id": "x"}, token)[0] == 400
    assert call("/ingest/v1/check-in", b"x" * 9000, token)[0] == 413
    future = check_in(tenant_a.person, tenant_a.venue, at="2030-01-01T00:00:00+00:00")
    assert future[1]["code"] == "time_in_future"


def test_it_gives_a_signed_in_citizen_a_pass(citizen, signed_in):
    answer = signed_in(citizen).post("/api/v1/visits/pass").json()
    assert passes.verify(answer["token"]) == citizen.person_id
    assert answer["check_in_url"] == "/ingest/v1/check-in"


def test_it_passes_other_paths_to_django_through_the_same_asgi_app(places):
    status, answer = call("/healthz", b"", method="GET")
    assert (status, answer["database"]) == (200, "ok")
