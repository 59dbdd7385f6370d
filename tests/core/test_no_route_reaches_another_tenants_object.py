"""Threat 11 on every route with an id (tests/scoping.py ATTACKS): a user of every role in
tenant A aiming at tenant B's objects — its case, contact, notice batch, reveal request,
exposure site, visits, paper upload, declarations, family member, accounts, pending approvals,
venues and organisations — gets 404 (not in their scope), 403 (their role may not use the
route at all), or a redirect to their own home; never the object, and nothing of B changes."""

import io

import pytest
from django.test import Client

from tests import scoping
from tests.tenant_objects import objects_of
from vaora.core.roles import Role
from vaora.tracing.models import Contact, ExposureSite, NoticeBatch, RevealRequest

pytestmark = pytest.mark.django_db
ATTACKERS = [Role.CITIZEN, Role.VENUE_STAFF, Role.ORG_MANAGER, Role.OVERSIGHT, Role.HEALTH,
             Role.HELPER, "provincial_oversight_of_another_province", "health_admin",
             "education_department", "park_board"]  # fmt: skip


def send(client, attack, objects):
    url, body = attack.url(objects), attack.body_for(objects)
    if attack.method == "post_form":
        return client.post(url, body)
    if attack.method == "post_file":
        upload = io.BytesIO(b"ho_ten,so_dien_thoai,gio_vao\nA B,0912000001,24/11/2026 08:00\n"
)  # fmt: skip
        upload.name = "so.csv"
        return client.post(url, {"file": upload})
    if attack.method == "get":
        return client.get(url)
    return getattr(client, attack.method)(url, body, content_type="application/json")


@pytest.fixture
def attackers(users, tenant_a, places, sectors):
    from tests.conftest import make_account
    from vaora.core.models import Place

    other_province = Place.objects.get(scheme="2025", level="province", code="01")  # Hà Nội
    accounts = {role: users[role] for role in ATTACKERS if role in users}
    accounts["provincial_oversight_of_another_province"] = make_account(
        Role.OVERSIGHT, "gs-hanoi", jurisdiction=other_province
    )
    # Province-wide sector accounts: B's hospital is neither a school nor in the board's park.
    accounts["education_department"] = sectors.education_account
    accounts["park_board"] = sectors.board_account
    accounts["health_admin"] = make_account(Role.HEALTH, "yte-truong-a",
                                            jurisdiction=tenant_a.commune,
                                            manages_health_accounts=True)  # fmt: skip
    return accounts


def refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    # A citizen's own page opened by another role sends them to their own home.
    return response.status_code == 302 and response.url in ("/home/", "/me/")


@pytest.mark.parametrize("role", ATTACKERS)
def test_it_refuses_every_route_to_another_tenants_objects(role, attackers, tenant_b):
    objects = objects_of(tenant_b, "b")
    client = Client()
    client.force_login(attackers[role])
    reached = []
    for attack in scoping.ATTACKS:
        response = send(client, attack, objects)
        if not refused(response):
            reached.append((attack.name, response.status_code, response.content[:120]))
    assert reached == [], [(name, status) for name, status, _body in reached]
    # Nothing of tenant B changed.
    objects.venue.refresh_from_db()
    assert objects.venue.revoked_at is None and objects.venue.name == tenant_b.venue.name
    assert Contact.rows.get(pk=objects.contact.pk).state == Contact.State.FOUND
    assert NoticeBatch.rows.get(pk=objects.batch.pk).status == NoticeBatch.Status.PENDING
    assert RevealRequest.rows.get(pk=objects.reveal.pk).approved_at is None
    assert ExposureSite.rows.get(pk=objects.site.pk).withdrawn_at is None
    objects.case.refresh_from_db()
    assert objects.case.status == "open"
    objects.staff_account.refresh_from_db()
    assert objects.staff_account.is_active
    assert {m.organisation_id for m in objects.group.memberships.filter(until__isnull=True)} == {
        objects.organisation.pk}  # fmt: skip
