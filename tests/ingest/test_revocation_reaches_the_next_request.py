"""Revoking or reissuing a poster, and revoking a person's passes, take effect on the very next
fast-path request — not after a cache expires — with the reason the manager gave."""

import uuid

import pytest

from tests.ingest.asgi_client import call
from vaora.ingest.directory import directory
from vaora.people import passes
from vaora.venues import services, tokens

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_directory():
    directory.clear()
    yield
    directory.clear()


def check_in(person, token, holder=None):
    body = {"client_id": str(uuid.uuid4()), "token": token}
    return call("/ingest/v1/check-in", body, holder or passes.issue(person.pk))


def test_it_refuses_a_revoked_poster_on_the_next_request_with_its_reason(tenant_a, users):
    token = tokens.token_for(tenant_a.venue)
    assert check_in(tenant_a.person, token)[0] == 201  # the directory is loaded and warm
    services.revoke(users["org_manager"], tenant_a.venue, "Áp phích bị chụp ảnh và phát tán")
    status, answer = check_in(tenant_a.person, token)
    assert (status, answer["code"]) == (410, "code_revoked")
    assert "Áp phích bị chụp ảnh và phát tán" in answer["message_vi"]


def test_it_supersedes_a_reissued_poster_at_once_and_takes_the_new_one(tenant_a, users):
    old = tokens.token_for(tenant_a.venue)
    assert check_in(tenant_a.person, old)[0] == 201
    venue = services.reissue(users["org_manager"], tenant_a.venue)
    assert check_in(tenant_a.person, old)[1]["code"] == "code_superseded"
    assert check_in(tenant_a.person, tokens.token_for(venue))[0] in (200, 201)


def test_it_refuses_a_zone_of_a_revoked_venue_too(tenant_a, users):
    token = tokens.token_for(tenant_a.zone)
    assert check_in(tenant_a.person, token)[0] == 201
    services.revoke(users["org_manager"], tenant_a.venue, "Đóng cửa")
    assert check_in(tenant_a.person, token)[1]["code"] == "code_revoked"


def test_it_refuses_revoked_passes_at_the_door(tenant_a):
    token = tokens.token_for(tenant_a.venue)
    holder = passes.issue(tenant_a.person.pk)
    assert check_in(tenant_a.person, token, holder)[0] == 201
    passes.revoke(tenant_a.person.pk)
    status, answer = check_in(tenant_a.person, token, holder)
    assert (status, answer["code"]) == (401, "pass_revoked")
    assert answer["message_en"] and answer["message"]
