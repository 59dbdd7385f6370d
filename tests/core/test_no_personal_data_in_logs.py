"""Threat 19: a full citizen flow — sign-up, profile, check-in, declarations, download — writes
no phone number, CCCD or name to the logs."""

import logging
import re

import pytest

from vaora.core import sms
from vaora.venues import tokens

pytestmark = pytest.mark.django_db


def test_a_full_flow_logs_no_personal_value(client, tenant_a, caplog):
    caplog.set_level(logging.DEBUG)
    poster = "/V/" + tokens.token_for(tenant_a.venue)
    client.get(poster)
    client.post("/signin/", {"phone": "0966 123 456"})
    code = re.search(r"\d{6}", sms.last_message_to("+84966123456").body).group()
    client.post("/signin/code/", {"code": code})
    client.post("/me/profile/", {"name": "Hoàng Thị Mơ", "birth_year": "1970",
                                 "cccd": "040170012345", "province": "40",
                                 "home_commune": tenant_a.commune.pk, "save": "1"})  # fmt: skip
    client.post("/me/consent/")
    client.post(poster, {})
    client.post("/me/health/", {"symptoms": ["fever"], "vaccine_doses": "1"})
    client.get("/me/data/download.json")
    client.post("/signin/", {"phone": "not a phone"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for value in ["966123456", "0966 123 456", "040170012345", "Hoàng Thị Mơ", "Mơ", code]:
        assert value not in logged, value
