"""Threat 17: a session ends at its absolute lifetime even when used all along; an API token
expires; deactivating an account stops its tokens and passes; "sign out everywhere" ends every
session, token and check-in pass of the account."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from vaora.people import passes, tokens_auth

pytestmark = pytest.mark.django_db
T = datetime.datetime(2026, 11, 25, 1, 0, tzinfo=datetime.UTC)


def test_it_ends_an_officials_session_after_12_hours_of_use(users):
    client = Client()
    with freeze_time(T) as clock:
        client.force_login(users["oversight"])
        for _hour in range(11):
            clock.tick(3600)
            assert client.get("/home/").status_code == 200  # active all along
        clock.tick(2 * 3600)
        assert client.get("/home/").status_code == 302  # 13 h after signing in: sign in again


def test_it_expires_an_api_token_after_30_days(citizen):
    with freeze_time(T) as clock:
        token = tokens_auth.issue(citizen, "điện thoại")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        assert client.get("/api/v1/me/dependants").status_code == 200
        clock.tick(datetime.timedelta(days=31))
        assert client.get("/api/v1/me/dependants").status_code == 401


def test_it_stops_the_tokens_and_passes_of_a_deactivated_account(citizen):
    token = tokens_auth.issue(citizen, "điện thoại")
    holder = passes.issue(citizen.person_id, now=timezone.now().timestamp() - 5)
    citizen.is_active = False
    citizen.save()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/me/dependants").status_code == 401
    assert passes.verify(holder) is None


def test_it_signs_out_everywhere_sessions_tokens_and_passes(citizen):
    phone, laptop = Client(), Client()
    phone.force_login(citizen)
    laptop.force_login(citizen)
    token = tokens_auth.issue(citizen, "máy tính bảng")
    holder = passes.issue(citizen.person_id, now=timezone.now().timestamp() - 5)
    assert laptop.get("/me/").status_code == 200
    assert phone.post("/signout/everywhere/").status_code == 302
    assert laptop.get("/me/").status_code == 302  # the other session ended too
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/me/dependants").status_code == 401
    )
    assert passes.verify(holder) is None
    again = Client()
    again.force_login(citizen)  # signing in afresh works
    assert again.get("/me/").status_code == 200


def test_it_offers_sign_out_everywhere_to_staff_too(users):
    staff = Client()
    staff.force_login(users["venue_staff"])
    assert "/signout/everywhere/" in staff.get("/home/").content.decode()
