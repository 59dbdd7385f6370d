"""One object of every kind that belongs to a tenant, for the cross-tenant attacks in
tests/scoping.py: its case and contact, a notice batch and a reveal request, an exposure site,
visits (self-scanned and entered by hand), a paper upload, declarations, a family member,
accounts, an administrator's pending change and an organisation a helper registered."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tests.conftest import Tenant, make_account, make_visit
from vaora.core.roles import Role
from vaora.oversight.models import DutyApproval
from vaora.paper.models import PaperUpload
from vaora.people import codes
from vaora.people.declaration_models import HealthDeclaration, TravelDeclaration
from vaora.people.models import Person
from vaora.tracing.models import Case, Contact, ExposureSite, NoticeBatch, RevealRequest
from vaora.venues.models import GroupMembership, Kind, Organisation, OrganisationGroup

H = datetime.timedelta(hours=1)


@dataclass
class TenantObjects:
    tenant: Tenant
    organisation: Organisation
    venue: object
    zone: object
    person: Person
    person_code: str
    dependant: Person
    health: HealthDeclaration
    travel: TravelDeclaration
    visit: object
    assisted_visit: object
    upload: PaperUpload
    case: Case
    contact: Contact
    batch: NoticeBatch
    reveal: RevealRequest
    site: ExposureSite
    staff_account: object
    approval: DutyApproval
    helper_org: Organisation
    group: OrganisationGroup


def objects_of(tenant: Tenant, label: str) -> TenantObjects:
    now = timezone.now()
    health_official = make_account(Role.HEALTH, f"yte-{label}", jurisdiction=tenant.commune)
    admin = make_account(Role.ADMIN, f"admin-{label}", is_superuser=True)
    helper = make_account(Role.HELPER, f"tnv-{label}", jurisdiction=tenant.commune)
    neighbour = Person.rows.create(name=f"Hàng Xóm {label}", phone=f"091299900{len(label)}")
    visit = make_visit(tenant.person, tenant.venue, now - 2 * H, H)
    case = Case.rows.create(person=tenant.person, place=tenant.commune,
                               purpose="Ca kiểm thử phạm vi (truy vết)", test_date=now.date(),
                               window_start=now - 72 * H, window_end=now)  # fmt: skip
    contact = Contact.rows.create(case=case, person=neighbour, degree=1,
                                     via_person=tenant.person, venue=tenant.venue,
                                     exposed_from=now - 2 * H, exposed_until=now - H,
                                     overlap_minutes=30, risk="high")  # fmt: skip
    batch = NoticeBatch.rows.create(case=case, size=1, status=NoticeBatch.Status.PENDING,
                                       created_by=health_official)  # fmt: skip
    batch.contacts.set([contact])
    return TenantObjects(
        tenant=tenant, organisation=tenant.organisation, venue=tenant.venue, zone=tenant.zone,
        person=tenant.person, person_code=codes.person_url(tenant.person),
        dependant=Person.rows.create(name=f"Con {label}", birth_year=2018,
                                        guardian=tenant.person),
        health=HealthDeclaration.objects.create(person=tenant.person, contact_with_case=False),
        travel=TravelDeclaration.objects.create(
            person=tenant.person, province_code=tenant.commune.province_code,
            from_commune=tenant.commune, to_commune=tenant.commune,
            departure_date=now.date(), means="bus", transport_ref="37B12345",
            valid_until=now + 72 * H),
        visit=visit,
        assisted_visit=make_visit(neighbour, tenant.venue, now - H, H, source="assisted"),
        upload=PaperUpload.rows.create(venue=tenant.venue, filename="so.csv",
                                          rejected_csv="dong_line,ly_do_reason\n2,x\n"),
        case=case, contact=contact, batch=batch,
        reveal=RevealRequest.rows.create(case=case, requested_by=health_official, size=500),
        site=ExposureSite.rows.create(venue=tenant.venue, starts_at=now - 2 * H,
                                         ends_at=now - H, published_by=health_official),
        staff_account=make_account(Role.VENUE_STAFF, f"nv-{label}",
                                   organisation=tenant.organisation),
        approval=DutyApproval.objects.create(action=DutyApproval.Action.CREATE,
                                             account=health_official, requested_by=admin),
        helper_org=Organisation.objects.create(name=f"Quán {label}", kind=Kind.RESTAURANT,
                                               commune=tenant.commune, registered_by=helper),
        group=_group(tenant, label),
    )  # fmt: skip


def _group(tenant: Tenant, label: str) -> OrganisationGroup:
    """A group of the tenant's commune holding its organisation."""
    group = OrganisationGroup.objects.create(code=f"cum-{label}", name=f"Cụm {label}",
                                             territory=tenant.commune)  # fmt: skip
    GroupMembership.objects.create(group=group, organisation=tenant.organisation,
                                   since=timezone.localdate())  # fmt: skip
    return group
