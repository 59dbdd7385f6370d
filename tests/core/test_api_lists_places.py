"""Administrative places are listed a page at a time, filtered by level and province."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_lists_places_with_pagination_and_filters(client, places):
    body = client.get("/api/v1/places", {"parent": "40", "limit": 20}).json()
    assert body["count"] == 130 and len(body["items"]) == 20
    assert {item["parent_code"] for item in body["items"]} == {"40"}
    found = client.get("/api/v1/places", {"q": "Thành Vinh", "parent": "40"}).json()["items"]
    assert [item["code"] for item in found] == ["16681"]
    assert client.get("/api/v1/places", {"limit": 100000}).status_code == 422
