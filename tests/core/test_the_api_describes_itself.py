"""The JSON API publishes its OpenAPI schema and a docs page that loads nothing from outside."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_publishes_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "vaora API"
    for path in ["/api/v1/places", "/api/v1/me", "/api/v1/venues/{venue_id}",
                 "/api/v1/people/{person_id}"]:  # fmt: skip
        assert path in schema["paths"], path


def test_it_serves_the_api_docs_page_with_bundled_assets_only(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page
