"""Every door a visit can enter vaora by, driven as its user drives it, and one table of
scenarios to run through them (tests/visits/test_every_door_decides_alike.py and the property
test beside it). A door answers each step with None (accepted) or the refusal's code.

Places: V is a hospital gate (stay 4 h), Z a ward inside it (a place of its own), M a market
(stay 1 h), all of one organisation. Times are minutes from T; `sent` is when the scan reaches
the server (a late offline queue: sent after `at`)."""

import datetime
import io
import json
import uuid
from dataclasses import dataclass, field

from django.utils import timezone
from freezegun import freeze_time

from tests.ingest.asgi_client import call
from vaora.people import codes, passes
from vaora.people.models import Person
from vaora.venues import tokens
from vaora.venues.models import Venue
from vaora.visits import services
from vaora.visits.models import Visit

T = datetime.datetime(2026, 11, 25, 2, 0, tzinfo=datetime.UTC)  # 09:00 in Việt Nam


def at(minutes: float) -> datetime.datetime:
    return T + datetime.timedelta(minutes=minutes)


@dataclass
class Places:
    V: Venue
    Z: object
    M: Venue

    def of(self, label: str):
        return getattr(self, label)

    def venue_of(self, label: str) -> Venue:
        return self.V if label in ("V", "Z") else self.M

    def label(self, visit: Visit) -> str:
        if visit.zone_id:
            return "Z"
        return "V" if visit.venue_id == self.V.pk else "M"


@dataclass
class Step:
    kind: str  # "in" or "out"
    place: str
    at: float
    sent: float | None = None  # default: sent at once
    subject: str = "person"  # or "dependant"

    @property
    def sent_at(self) -> float:
        return self.at if self.sent is None else self.sent


def In(place, minute, sent=None, subject="person"):  # noqa: N802 - reads like the table
    return Step("in", place, minute, sent, subject)


def Out(place, minute, sent=None, subject="person"):  # noqa: N802
    return Step("out", place, minute, sent, subject)


@dataclass
class Scenario:
    steps: list[Step]
    visits: dict[str, list[tuple]]  # subject → [(place, entered, ends, left or None)]
    refusals: list[str | None] = field(default_factory=list)  # per step; default all None
    setup: str = ""  # "family_at_V", "revoke_V", "reissue_V"
    doors: tuple[str, ...] | None = None  # None: every door that can express the steps
    # Where a door words a refusal its own way, the visits it leaves must still be the same.
    door_refusals: dict[str, list] = field(default_factory=dict)

    def refusals_for(self, door: str) -> list:
        return self.door_refusals.get(door) or self.refusals or [None] * len(self.steps)


SCENARIOS = {
    "re-scan extends": Scenario([In("V", 0), In("V", 30)], {"person": [("V", 0, 270, None)]}),
    "elsewhere closes previous": Scenario(
        [In("V", 0), In("M", 20)], {"person": [("V", 0, 20, 20), ("M", 20, 80, None)]}
    ),
    "a zone is a place of its own": Scenario(
        [In("V", 0), In("Z", 10)], {"person": [("V", 0, 10, 10), ("Z", 10, 250, None)]}
    ),
    "auto-end at the stay": Scenario([In("M", 0)], {"person": [("M", 0, 60, None)]}),
    "late offline scan before a later visit": Scenario(
        [In("M", 0), In("V", -90, sent=5)], {"person": [("V", -90, 0, None), ("M", 0, 60, None)]}
    ),
    "a late re-scan never reaches into a later visit": Scenario(
        [In("M", 0), In("V", -90, sent=5), In("V", -10, sent=10)],
        {"person": [("V", -90, 0, None), ("M", 0, 60, None)]},
    ),
    "check-out": Scenario([In("V", 0), Out("V", 45)], {"person": [("V", 0, 45, 45)]}),
    "a second check-out changes nothing": Scenario(
        [In("V", 0), Out("V", 45), Out("V", 50)],
        {"person": [("V", 0, 45, 45)]},
        # The gate tells its staff the person is no longer inside.
        door_refusals={"gate": [None, None, "not_inside"], "gate sync": [None, None, "not_inside"]},
    ),  # fmt: skip
    "dependant check-out": Scenario(
        [Out("V", 30, subject="dependant")],
        {"person": [("V", 0, 240, None)], "dependant": [("V", 0, 30, 30)]},
        setup="family_at_V",
    ),
    "revoked code": Scenario(
        [In("V", 0)],
        {"person": []},
        ["code_revoked"],
        setup="revoke_V",
        doors=("page", "sync", "fast path"),
    ),  # fmt: skip
    "superseded code": Scenario(
        [In("V", 0)],
        {"person": []},
        ["code_superseded"],
        setup="reissue_V",
        doors=("page", "sync", "fast path"),
    ),  # fmt: skip
    "future time": Scenario([In("V", 10, sent=0)], {"person": []}, ["time_in_future"]),
    "too old for a live scan": Scenario(
        [In("V", -73 * 60, sent=0)],
        {"person": []},
        ["too_late"],
        doors=("sync", "fast path", "gate", "gate sync", "assisted"),
    ),  # fmt: skip
    # The one deliberate difference (docs/decisions/0011): a register is history typed in
    # later, accepted for the whole retention period.
    "a paper register is accepted for the retention period": Scenario(
        [In("V", -73 * 60, sent=0)],
        {"person": [("V", -73 * 60, -73 * 60 + 240, None)]},
        doors=("paper",),
    ),  # fmt: skip
}


# --- the doors -------------------------------------------------------------------------------


class Door:
    name = ""
    live_only = False  # the page scans "now": it cannot send a late scan
    check_out = True
    family_check_out = False  # closes a dependant's visit for the account holder

    def __init__(self, world):
        self.world = world

    def can(self, scenario: Scenario) -> bool:
        if scenario.doors is not None:
            return self.name in scenario.doors
        for step in scenario.steps:
            if self.live_only and step.sent_at != step.at:
                return False
            if step.kind == "out" and not self.check_out:
                return False
            if step.subject == "dependant" and not self.family_check_out:
                return False
        return True


def _json(response) -> dict:
    return json.loads(response.content)


class PageDoor(Door):
    name, live_only, family_check_out = "page", True, True

    def check_in(self, subject, label, when, token=None):
        client = self.world.citizen_client
        token = token or tokens.token_for(self.world.places.of(label))
        response = client.post(f"/V/{token}", {"client_id": str(uuid.uuid4())})
        return None if response.status_code == 302 else _refusal_code(response)

    def check_out(self, subject, visit, when):
        client = self.world.citizen_client
        response = client.post(f"/me/visits/{visit.pk}/checkout/",
                               {"client_id": str(uuid.uuid4())})  # fmt: skip
        return None if response.status_code == 302 else _refusal_code(response)


def _refusal_code(response) -> str:
    page = response.content.decode()
    return page.split("<code>", 1)[1].split("</code>", 1)[0] if "<code>" in page else "?"


class SyncDoor(Door):
    name, family_check_out = "sync", True

    def _send(self, item):
        body = {"items": [item]}
        response = self.world.citizen_client.post("/api/v1/visits/sync", body,
                                                  content_type="application/json")  # fmt: skip
        result = _json(response)["results"][0]
        return result["code"] if result["status"] == "rejected" else None

    def check_in(self, subject, label, when, token=None):
        token = token or tokens.token_for(self.world.places.of(label))
        return self._send({"client_id": str(uuid.uuid4()), "action": "check_in",
                           "token": token, "at": when.isoformat()})  # fmt: skip

    def check_out(self, subject, visit, when):
        return self._send({"client_id": str(uuid.uuid4()), "action": "check_out",
                           "visit_client_id": str(visit.client_id),
                           "at": when.isoformat()})  # fmt: skip


class FastPathDoor(Door):
    name, family_check_out = "fast path", True

    def _send(self, path, body):
        status, answer = call(path, body, passes.issue(self.world.person.pk))
        return None if status < 300 else answer["code"]

    def check_in(self, subject, label, when, token=None):
        token = token or tokens.token_for(self.world.places.of(label))
        body = {"client_id": str(uuid.uuid4()), "token": token, "at": when.isoformat()}
        return self._send("/ingest/v1/check-in", body)

    def check_out(self, subject, visit, when):
        return self._send("/ingest/v1/check-out", {"client_id": str(uuid.uuid4()),
                                                   "visit_client_id": str(visit.client_id),
                                                   "at": when.isoformat()})  # fmt: skip


class GateDoor(Door):
    """The gate scanner: staff scan the visitor's personal QR (a dependant has one too)."""

    name, family_check_out = "gate", True

    def _scan(self, subject, label, when, direction):
        places = self.world.places
        place = places.of(label)
        body = {"client_id": str(uuid.uuid4()), "code": codes.person_url(subject),
                "direction": direction, "at": when.isoformat(),
                "zone_id": place.pk if label == "Z" else None}  # fmt: skip
        return self._post(places.venue_of(label), body)

    def _post(self, venue, body):
        response = self.world.staff_client.post(f"/api/v1/venues/{venue.pk}/scan", body,
                                                content_type="application/json")  # fmt: skip
        return None if response.status_code == 200 else _json(response)["code"]

    def check_in(self, subject, label, when, token=None):
        return self._scan(subject, label, when, "in")

    def check_out(self, subject, visit, when):
        return self._scan(subject, self.world.places.label(visit), when, "out")


class GateSyncDoor(GateDoor):
    """The gate's offline queue, sent when the network returns."""

    name = "gate sync"

    def _post(self, venue, body):
        response = self.world.staff_client.post(
            f"/api/v1/venues/{venue.pk}/staff-sync", {"items": [{"kind": "scan", "scan": body}]},
            content_type="application/json",
        )  # fmt: skip
        result = _json(response)[0]
        return result["code"] if result["status"] == "rejected" else None


class AssistedDoor(Door):
    """Staff type in a visitor without a phone: matched by name and phone."""

    name, check_out = "assisted", False

    def check_in(self, subject, label, when, token=None):
        places = self.world.places
        body = {"client_id": str(uuid.uuid4()), "name": subject.name, "phone": subject.phone,
                "at": when.isoformat(),
                "zone_id": places.of(label).pk if label == "Z" else None}  # fmt: skip
        response = self.world.staff_client.post(
            f"/api/v1/venues/{places.venue_of(label).pk}/assisted", body,
            content_type="application/json",
        )  # fmt: skip
        return None if response.status_code == 200 else _json(response)["code"]


class PaperDoor(Door):
    """A paper register, one line per scan, uploaded afterwards."""

    name, check_out = "paper", False

    def check_in(self, subject, label, when, token=None):
        from vaora.paper.importer import import_register

        places = self.world.places
        local = timezone.localtime(when, datetime.timezone(datetime.timedelta(hours=7)))
        zone = places.Z.name if label == "Z" else ""
        text = ("ho_ten,so_dien_thoai,gio_vao,khu_vuc\n"
                f"{subject.name},{subject.phone},{local:%d/%m/%Y %H:%M},{zone}\n")  # fmt: skip
        report, _ = import_register(places.venue_of(label), io.BytesIO(text.encode()), "so.csv")
        return report.errors[0]["code"] if report.errors else None


DOORS = [PageDoor, SyncDoor, FastPathDoor, GateDoor, GateSyncDoor, AssistedDoor, PaperDoor]


@dataclass
class World:
    places: Places
    person: Person
    dependant: Person
    citizen: object  # the person's account
    staff: object  # a gate staff account of the places' organisation

    def subject(self, name: str) -> Person:
        return self.person if name == "person" else self.dependant

    @staticmethod
    def _signed_in(account):
        """A client signed in now (in frozen time: sessions time out like real ones)."""
        from django.test import Client

        client = Client()
        client.force_login(account)
        return client

    @property
    def citizen_client(self):
        return self._signed_in(self.citizen)

    @property
    def staff_client(self):
        return self._signed_in(self.staff)


def run(world: World, door: Door, scenario: Scenario) -> list[str | None]:
    """Plays the scenario through the door in frozen time; the refusal codes, per step."""
    places = world.places
    old_token = tokens.token_for(places.V)
    with freeze_time(T):
        if scenario.setup == "family_at_V":
            services.check_in_family(world.person, [world.dependant], places.V)
        elif scenario.setup == "revoke_V":
            places.V.mark_revoked("Áp phích bị lấy cắp")
            places.V.save()
        elif scenario.setup == "reissue_V":
            places.V.mark_reissued()
            places.V.save()
    answers = []
    for step in scenario.steps:
        subject = world.subject(step.subject)
        with freeze_time(at(step.sent_at)):
            if step.kind == "in":
                token = old_token if scenario.setup == "reissue_V" and step.place == "V" else None
                answers.append(door.check_in(subject, step.place, at(step.at), token))
            else:
                visit = Visit.rows.filter(person=subject, venue=places.venue_of(step.place),
                                             entered_at__lte=at(step.at)).first()  # fmt: skip
                answers.append(door.check_out(subject, visit, at(step.at)))
    return answers


def visits_of(world: World, subject: str) -> list[tuple]:
    """(place, entered, ends, left) in minutes from T, for comparison with the table."""

    def minute(value):
        return None if value is None else round((value - T).total_seconds() / 60, 3)

    rows = Visit.rows.filter(person=world.subject(subject)).order_by("entered_at")
    return [(world.places.label(v), minute(v.entered_at), minute(v.ends_at), minute(v.left_at))
            for v in rows]  # fmt: skip
