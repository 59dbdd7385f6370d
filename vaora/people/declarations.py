"""Health and travel declarations: validation, the result shown to the person, and history."""

from django.db import transaction
from django.utils import timezone

from vaora.core.errors import InvalidFields
from vaora.people.models import HealthDeclaration, Means, Person, Symptom, TravelDeclaration

ADVICE_OK = (
    "Không có triệu chứng. Tiếp tục giữ gìn sức khỏe.",
    "No symptoms. Keep looking after your health.",
)
ADVICE_ATTENTION = (
    "Cần chú ý: hạn chế tiếp xúc, theo dõi sức khỏe và liên hệ trạm y tế xã/phường hoặc gọi "
    "đường dây nóng của Sở Y tế nếu triệu chứng nặng hơn.",
    "Needs attention: limit contact, watch your health, and contact your commune health station "
    "or the health department's hotline if symptoms get worse.",
)


def declare_health(person: Person, data: dict) -> HealthDeclaration:
    symptoms = sorted(set(data.get("symptoms") or []))
    errors = {}
    if any(s not in Symptom.values for s in symptoms):
        errors["symptoms"] = ["Triệu chứng không hợp lệ / Unknown symptom"]
    doses = data.get("vaccine_doses")
    if doses is None or not 0 <= int(doses) <= 10:
        errors["vaccine_doses"] = ["Số mũi tiêm từ 0 đến 10 / Doses from 0 to 10"]
    if errors:
        raise InvalidFields(errors)
    commune = person.home_commune
    return HealthDeclaration.objects.create(
        person=person, province_code=commune.province_code if commune else "",
        symptoms=symptoms, other_symptom=(data.get("other_symptom") or "")[:200],
        contact_with_case=bool(data.get("contact_with_case")),
        in_outbreak_area=bool(data.get("in_outbreak_area")), vaccine_doses=int(doses),
    )  # fmt: skip


def advice(declaration: HealthDeclaration) -> tuple[str, str]:
    return ADVICE_ATTENTION if declaration.needs_attention else ADVICE_OK


def _transport_ref(means: str, raw: str) -> str:
    from vaora.venues.models import normalise_plate

    text = (raw or "").strip()
    if means == Means.COACH:
        return normalise_plate(text)
    return "".join(text.split()).upper()[:20]


@transaction.atomic
def declare_travel(person: Person, data: dict) -> TravelDeclaration:
    errors = {}
    origin, destination = data.get("from_commune"), data.get("to_commune")
    if origin is None:
        errors["from_commune"] = ["Chọn nơi đi / Choose where you leave from"]
    if destination is None:
        errors["to_commune"] = ["Chọn nơi đến / Choose where you go"]
    departure, back = data.get("departure_date"), data.get("return_date")
    today = timezone.localdate()
    if departure is None or (departure - today).days > 30 or (today - departure).days > 14:
        errors["departure_date"] = ["Ngày đi trong vòng 14 ngày trước đến 30 ngày tới / "
                                    "Departure within the last 14 or next 30 days"]  # fmt: skip
    if back is not None and departure is not None and back < departure:
        errors["return_date"] = ["Ngày về sau ngày đi / Return after departure"]
    means = data.get("means")
    if means not in Means.values:
        errors["means"] = ["Chọn phương tiện / Choose the means of travel"]
    ref = _transport_ref(means, data.get("transport_ref", ""))
    if means in (Means.COACH, Means.TRAIN, Means.FLIGHT) and not ref:
        errors["transport_ref"] = ["Ghi biển số xe, số tàu hoặc số hiệu chuyến bay / "
                                   "Give the plate, train or flight number"]  # fmt: skip
    if errors:
        raise InvalidFields(errors)
    now = timezone.now()
    return TravelDeclaration.objects.create(
        person=person, province_code=destination.province_code, declared_at=now,
        from_commune=origin, to_commune=destination, departure_date=departure,
        return_date=back, means=means, transport_ref=ref,
        purpose=(data.get("purpose") or "")[:200], valid_until=now + TravelDeclaration.validity(),
    )  # fmt: skip
