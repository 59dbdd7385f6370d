"""Domain operations on organisations, venues and zones. Every change is checked against the
caller's rights and written to the audit log."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from vaora.core import audit
from vaora.core.errors import InvalidFields, NotFound, VaoraError
from vaora.core.roles import ORGANISATION_ROLES, Role
from vaora.core.scoping import is_admin, role_of
from vaora.venues.models import Organisation, Venue, Zone

VENUE_FIELDS = (
    "name", "kind", "address", "commune", "latitude", "longitude", "capacity",
    "default_stay_minutes", "sensitive", "plate_number", "route", "operator_name",
)  # fmt: skip
ZONE_FIELDS = ("name", "kind")


class NotAllowed(VaoraError):
    def __init__(self):
        super().__init__(
            "not_allowed",
            "Tài khoản của bạn chỉ được xem, không được thay đổi mục này.",
            "Your account may view this but not change it.",
            403,
        )


def can_manage(user, organisation: Organisation) -> bool:
    """Organisation managers manage their own organisation; system administrators any; a helper
    the organisations they registered, until handed over."""
    if is_admin(user):
        return True
    if role_of(user) == Role.HELPER:
        return organisation.registered_by_id == user.pk and organisation.handed_over_at is None
    return role_of(user) == Role.ORG_MANAGER and user.organisation_id == organisation.pk


def _require_manager(user, organisation: Organisation) -> None:
    if not can_manage(user, organisation):
        raise NotAllowed()


def _save_validated(obj) -> None:
    obj.prepare()
    try:
        obj.full_clean()
    except ValidationError as error:
        fields = {f: [str(m) for m in ms] for f, ms in error.message_dict.items()}
        raise InvalidFields(fields) from None
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        # The only constraints a valid form can still hit are the unique names.
        raise InvalidFields({"name": ["Tên này đã có / This name is already used."]}) from None


def get_organisation(user, org_id: int) -> Organisation:
    found = Organisation.objects.visible_to(user).select_related("commune").filter(pk=org_id)
    if not found:
        raise NotFound("đơn vị", "organisation")
    return found[0]


def get_venue(user, venue_id: int) -> Venue:
    venues = Venue.objects.visible_to(user).select_related("commune", "organisation")
    found = venues.filter(pk=venue_id).first()
    if found is None:
        raise NotFound("địa điểm", "venue")
    return found


def get_zone(user, zone_id: int) -> Zone:
    zones = Zone.objects.visible_to(user).select_related("venue__commune", "venue__organisation")
    found = zones.filter(pk=zone_id).first()
    if found is None:
        raise NotFound("khu vực", "zone")
    return found


@transaction.atomic
def create_venue(user, organisation: Organisation, data: dict) -> Venue:
    _require_manager(user, organisation)
    venue = Venue(organisation=organisation, **_only(data, VENUE_FIELDS))
    _save_validated(venue)  # Venue.save fills the kind's default stay (apply_kind_defaults)
    audit.record(user, "venue.create", target=venue)
    return venue


@transaction.atomic
def update_venue(user, venue: Venue, data: dict) -> Venue:
    _require_manager(user, venue.organisation)
    for name, value in _only(data, VENUE_FIELDS).items():
        setattr(venue, name, value)
    _save_validated(venue)
    audit.record(user, "venue.update", target=venue, details={"fields": sorted(data)})
    return venue


@transaction.atomic
def create_zone(user, venue: Venue, data: dict) -> Zone:
    _require_manager(user, venue.organisation)
    zone = Zone(venue=venue, **_only(data, ZONE_FIELDS))
    _save_validated(zone)
    audit.record(user, "zone.create", target=zone)
    return zone


@transaction.atomic
def update_zone(user, zone: Zone, data: dict) -> Zone:
    _require_manager(user, zone.venue.organisation)
    for name, value in _only(data, ZONE_FIELDS).items():
        setattr(zone, name, value)
    _save_validated(zone)
    audit.record(user, "zone.update", target=zone, details={"fields": sorted(data)})
    return zone


def _organisation_of(obj: Venue | Zone) -> Organisation:
    return obj.venue.organisation if isinstance(obj, Zone) else obj.organisation


def require_code_manager(user, obj: Venue | Zone) -> None:
    """Who may revoke or reissue a code: asked before the confirmation page is even shown."""
    _require_manager(user, _organisation_of(obj))


@transaction.atomic
def revoke(user, obj: Venue | Zone, reason: str = "") -> Venue | Zone:
    """Withdraws every poster of the venue or zone (stolen, closed). Scans then open a page that
    says the code is no longer valid; revoking a venue also stops its zones' codes."""
    _require_manager(user, _organisation_of(obj))
    obj.mark_revoked(reason.strip())
    obj.save()
    audit.record(user, f"{obj._meta.model_name}.revoke", target=obj, purpose=reason.strip())
    return obj


@transaction.atomic
def reissue(user, obj: Venue | Zone) -> Venue | Zone:
    """Issues a new code version: new posters work, every earlier poster is refused."""
    _require_manager(user, _organisation_of(obj))
    obj.mark_reissued()
    obj.save()
    audit.record(user, f"{obj._meta.model_name}.reissue", target=obj,
                 details={"qr_version": obj.qr_version})  # fmt: skip
    return obj


def _only(data: dict, allowed: tuple[str, ...]) -> dict:
    """Explicit allow-list: nothing outside it (role, organisation, codes) can be set."""
    return {name: value for name, value in data.items() if name in allowed}


def count_posters_issued(objects) -> None:
    """Counts a download of posters for these venues or zones, on their venues."""
    venue_ids = {obj.venue_id_for_page for obj in objects}
    Venue.objects.filter(pk__in=venue_ids).update(posters_issued=F("posters_issued") + 1)


def zones_for_posters(organisation: Organisation):
    """The zones whose posters are valid now, with what the poster prints."""
    return (
        Zone.objects.filter(
            venue__organisation=organisation,
            revoked_at__isnull=True,
            venue__revoked_at__isnull=True,
        )
        .select_related("venue__commune")
        .order_by("venue__name_order", "name")
    )


# --- the gate-staff permission: who records entries and exits at a venue --------------------


def is_gate_staff(user, venue: Venue) -> bool:
    """The venue's own staff and managers — nobody else, administrators included: officials
    and administrators never create or change visits (threat 9)."""
    return role_of(user) in ORGANISATION_ROLES and user.organisation_id == venue.organisation_id


def require_gate_staff(user, venue: Venue) -> None:
    """Only the venue's own staff and managers record visits."""
    if not is_gate_staff(user, venue):
        raise VaoraError("staff_only", "Chỉ nhân viên của địa điểm được ghi nhận ra vào.",
                         "Only the venue's own staff record entries and exits.", 403)  # fmt: skip


def staff_venue(user, venue_id: int) -> Venue:
    """The venue, for its own staff: 404 outside the user's scope, 403 for officials."""
    venue = get_venue(user, venue_id)
    require_gate_staff(user, venue)
    return venue


def home_places(user):
    """The venues an official's or staff member's home page lists (core.hooks "home.places")."""
    return Venue.objects.visible_to(user).select_related("commune")
