"""visible_to(user) on organisations, venues and accounts: staff see their organisation's,
officials their jurisdiction's, citizens none, administrators all."""

import pytest

from vaora.people.models import Account
from vaora.venues.models import Organisation, Venue

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Organisation, Venue])
@pytest.mark.parametrize(
    ("role", "sees_a"),
    [("venue_staff", True), ("org_manager", True), ("oversight", True), ("health", True),
     ("citizen", False)],
)  # fmt: skip
def test_it_scopes_organisations_and_venues(model, role, sees_a, users, tenant_a, tenant_b):
    visible = model.objects.visible_to(users[role])
    own = tenant_a.organisation if model is Organisation else tenant_a.venue
    other = tenant_b.organisation if model is Organisation else tenant_b.venue
    assert visible.filter(pk=own.pk).exists() is sees_a
    assert not visible.filter(pk=other.pk).exists()


@pytest.mark.parametrize("model", [Organisation, Venue])
def test_it_shows_everything_to_admins_and_the_province(model, users, tenant_a, tenant_b):
    assert model.objects.visible_to(users["admin"]).count() == 2
    assert model.objects.visible_to(users["provincial_oversight"]).count() == 2


def test_it_shows_nothing_to_anonymous_or_deactivated_users(users, tenant_a):
    from django.contrib.auth.models import AnonymousUser

    assert not Venue.objects.visible_to(AnonymousUser()).exists()
    official = users["oversight"]
    official.is_active = False
    assert not Venue.objects.visible_to(official).exists()


def test_it_lets_officials_see_accounts_in_their_jurisdiction_only(users, tenant_a, tenant_b):
    from tests.conftest import make_account

    manager_b = make_account("org_manager", "manager-b", organisation=tenant_b.organisation)
    visible = Account.objects.visible_to(users["oversight"])
    assert visible.filter(username="manager-a").exists()
    assert not visible.filter(pk=manager_b.pk).exists()
    assert set(Account.objects.visible_to(users["citizen"])) == {users["citizen"]}
