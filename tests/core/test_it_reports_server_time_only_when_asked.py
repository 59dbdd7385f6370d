"""Server-Timing (the time Django spent on an answer) is for benchmarks and profiling: off by
default, since durations can tell an outsider which branch a request took."""

import re

import pytest
from django.test import override_settings

from vaora.settings import MIDDLEWARE

pytestmark = pytest.mark.django_db


def test_it_sends_no_server_timing_by_default(client):
    assert "vaora.core.middleware.server_timing" not in MIDDLEWARE
    assert "Server-Timing" not in client.get("/healthz").headers


def test_it_sends_the_time_spent_when_turned_on(client):
    with override_settings(MIDDLEWARE=[MIDDLEWARE[0], "vaora.core.middleware.server_timing",
                                       *MIDDLEWARE[1:]]):  # fmt: skip
        header = client.get("/healthz").headers["Server-Timing"]
    assert re.fullmatch(r"app;dur=\d+\.\d", header)
