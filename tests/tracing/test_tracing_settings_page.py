"""Health officials edit what counts as exposure and the notice texts on a page (the API had
them already); the next trace uses the new rule; other roles are refused."""

import pytest

from vaora.core.models import AuditEvent
from vaora.tracing.alerts import texts
from vaora.tracing.rules import MINUTE, Rules

pytestmark = pytest.mark.django_db
RULE = {"min_overlap_minutes": 5, "buffer_before_minutes": 0, "buffer_after_minutes": 30,
        "high_risk_minutes": 45}  # fmt: skip


def test_it_shows_the_rules_in_force_and_saves_a_changed_one(users, signed_in):
    client = signed_in(users["health"])
    page = client.get("/cases/settings/").content.decode()
    assert 'value="15"' in page  # the default minimum overlap
    response = client.post("/cases/settings/rules/market/", RULE)
    assert response.status_code == 302
    rule = Rules.from_database().for_place("market", None)
    assert (rule.min_overlap, rule.after, rule.high_risk) == (5 * MINUTE, 30 * MINUTE,
                                                              45 * MINUTE)  # fmt: skip
    assert AuditEvent.objects.filter(action="exposure_rule.saved").exists()


def test_it_refuses_values_out_of_range_without_saving(users, signed_in):
    client = signed_in(users["health"])
    client.post("/cases/settings/rules/market/", RULE | {"buffer_after_minutes": 999})
    assert Rules.from_database().for_place("market", None).after == 0 * MINUTE
    assert client.post("/cases/settings/rules/spaceship/", RULE).status_code == 404


def test_it_saves_the_notice_texts(users, signed_in):
    client = signed_in(users["health"])
    body = {"text_vi": "Bạn đã ở {venue} ngày {date}. Hãy theo dõi sức khỏe.",
            "text_en": "You were at {venue} on {date}. Watch your health."}  # fmt: skip
    assert client.post("/cases/settings/notices/f1/", body).status_code == 302
    assert texts("f1") == (body["text_vi"], body["text_en"])


@pytest.mark.parametrize("role", ["oversight", "venue_staff", "org_manager", "helper", "citizen"])
def test_it_refuses_other_roles(role, users, signed_in):
    client = signed_in(users[role])
    assert client.get("/cases/settings/").status_code == 403
    assert client.post("/cases/settings/rules/market/", RULE).status_code == 403
