"""Threat 31: every integer a client can send — path, query and body — has a minimum and a
maximum in the OpenAPI schema, so a huge or negative number is a 422, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


def unbounded(schema: dict, components: dict, where: str, seen: set) -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
        return unbounded(components[name], components, f"{where}→{name}", seen)
    found = []
    if schema.get("type") == "integer" and ("minimum" not in schema or "maximum" not in schema):
        found.append(where)
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            found += unbounded(option, components, where, seen)
    for name, prop in schema.get("properties", {}).items():
        found += unbounded(prop, components, f"{where}.{name}", seen)
    if "items" in schema:
        found += unbounded(schema["items"], components, f"{where}[]", seen)
    return found


def test_it_bounds_every_integer_input_in_the_schema(client):
    spec = client.get("/api/v1/openapi.json").json()
    components = spec["components"]["schemas"]
    problems = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                problems += unbounded(parameter["schema"], components,
                                      f"{label} {parameter['name']}", set())  # fmt: skip
            for media in operation.get("requestBody", {}).get("content", {}).values():
                problems += unbounded(media["schema"], components, f"{label} body", set())
    assert problems == []


@pytest.mark.parametrize("url", [
    "/api/v1/places?offset=99999999999999999999",
    "/api/v1/exposure-sites?offset=99999999999999999999",
    "/api/v1/places?limit=-5",
])  # fmt: skip
def test_it_answers_422_to_a_huge_or_negative_number_without_signing_in(client, url):
    answer = client.get(url)
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_input")


def test_it_refuses_a_birth_year_in_the_future_with_a_coded_error(users, signed_in, tenant_a):
    helper = signed_in(users["helper"])
    answer = helper.post("/api/v1/helpers/people", {
        "name": "Người Tương Lai", "phone": "0912000555", "birth_year": 2099,
        "home_commune_id": tenant_a.commune.pk}, content_type="application/json")  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_fields")


def test_it_answers_422_to_a_huge_negative_venue_id_in_reminders(users, signed_in):
    official = signed_in(users["provincial_oversight"])
    answer = official.post("/api/v1/oversight/reminders",
                           {"venue_ids": [-99999999999999999999], "kind": "silent"},
                           content_type="application/json")  # fmt: skip
    assert answer.status_code == 422


def test_it_answers_404_not_500_to_a_huge_id_in_a_path(users, signed_in):
    official = signed_in(users["provincial_oversight"])
    assert official.get("/api/v1/venues/99999999999999999999").status_code == 422
    assert official.get(f"/api/v1/venues/{2**53}").status_code == 404


def test_it_answers_404_to_a_huge_id_in_a_page_address(users, signed_in):
    official = signed_in(users["provincial_oversight"])
    assert official.get("/venues/99999999999999999999/").status_code == 404
    assert official.get("/venues/99999999999999999999/occupancy/").status_code == 404
