"""Statistics for a jurisdiction, from the rollups only: counts, never a person. Any count from
1 to 4 is suppressed (shown as "<5") in every chart, table and download, so a small commune's
figures cannot point at someone. Counts of venues (registered, with check-ins) and their share
are about organisations, not people, and are shown as they are: suppressing them hid every
day of the "share of venues with check-ins" chart behind "<5"."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vaora.core.models import Place
from vaora.core.places import installation_province, installation_province_code
from vaora.core.scoping import sector_of
from vaora.oversight.activity import LOCAL
from vaora.oversight.models import AreaDay, AreaHour, DeclarationDay, SectorDay, SectorHour
from vaora.venues.models import Kind, Sector

SMALL = 5
PERIODS = (7, 30, 90)


def suppress(count: int | None) -> int | None:
    """None (shown "<5") for 1–4; zero and larger counts as they are."""
    if count is None:
        return None
    return None if 0 < count < SMALL else int(count)


@dataclass
class Series:
    key: str
    title: str
    label_header: str
    value_header: str
    chart: str  # "columns" (over time) or "bars" (categories)
    rows: list[tuple[str, int | float | None]] = field(default_factory=list)
    percent: bool = False

    def table(self) -> list[list[str]]:
        return [[label, shown(value, self.percent)] for label, value in self.rows]

    @property
    def empty(self) -> bool:
        """Nothing to draw: no rows, or only zeros."""
        return all(value == 0 for _label, value in self.rows)

    @property
    def all_hidden(self) -> bool:
        """Every figure is a small count shown as "<5"."""
        values = [value for _label, value in self.rows if value != 0]
        return bool(values) and all(value is None for value in values)


def shown(value, percent: bool = False) -> str:
    if value is None:
        return "<5"
    return f"{value:.0%}" if percent else str(value)


@dataclass
class Scope:
    """Whose figures: the user's jurisdiction, or a commune in it (both Places); for a sector
    account, its sector's venues there (read from the sector rollups)."""

    place: Place
    days: int
    day: datetime.date  # the day the hourly chart shows
    sector: Sector | None = None

    def filter(self, rows):
        if self.sector is not None:
            rows = rows.filter(sector=self.sector)
        return rows.filter(commune__path__startswith=self.place.path)

    def days_model(self):
        return AreaDay if self.sector is None else SectorDay

    def hours_model(self):
        return AreaHour if self.sector is None else SectorHour


def _days(scope: Scope, end: datetime.date) -> list[datetime.date]:
    return [end - datetime.timedelta(days=n) for n in range(scope.days - 1, -1, -1)]


def per_day(scope: Scope, end: datetime.date) -> Series:
    totals = dict(_period(scope, end).values_list("day").annotate(n=Sum("entries")))
    rows = [(d.strftime("%d/%m"), suppress(totals.get(d, 0))) for d in _days(scope, end)]
    return Series("per_day", _("Check-ins per day"), _("Day"), _("Check-ins"), "columns", rows)


def per_hour(scope: Scope) -> Series:
    start = datetime.datetime.combine(scope.day, datetime.time(), LOCAL)
    hours = scope.hours_model().objects.filter(
        hour__gte=start, hour__lt=start + datetime.timedelta(days=1)
    )
    sums = scope.filter(hours).values_list("hour").annotate(n=Sum("entries"))
    totals = {h.astimezone(LOCAL).hour: n for h, n in sums}
    title = _("Check-ins per hour on %(day)s") % {"day": scope.day.strftime("%d/%m/%Y")}
    return Series("per_hour", title, _("Hour"), _("Check-ins"), "columns",
                  [(f"{h}h", suppress(totals.get(h, 0))) for h in range(24)])  # fmt: skip


def _period(scope: Scope, end: datetime.date, model=None):
    model = model or scope.days_model()
    start = end - datetime.timedelta(days=scope.days)
    return scope.filter(model.objects.filter(day__gt=start, day__lte=end))


def by_commune(scope: Scope, end: datetime.date) -> Series:
    rows = _period(scope, end).values_list("commune__name").annotate(n=Sum("entries"))
    ordered = sorted(rows, key=lambda r: (-r[1], r[0]))
    return Series("by_commune", _("Check-ins by commune or ward"), _("Commune or ward"),
                  _("Check-ins"), "bars", [(name, suppress(n)) for name, n in ordered])  # fmt: skip


def by_kind(scope: Scope, end: datetime.date) -> Series:
    rows = dict(_period(scope, end).values_list("kind").annotate(n=Sum("entries")))
    ordered = sorted(rows.items(), key=lambda r: -r[1])
    labels = dict(Kind.choices)
    return Series("by_kind", _("Check-ins by kind of venue"), _("Kind"), _("Check-ins"), "bars",
                  [(str(labels.get(k, k)), suppress(n)) for k, n in ordered])  # fmt: skip


def active_share(scope: Scope, end: datetime.date) -> tuple[Series, Series]:
    rows = {d: (r, a) for d, r, a in _period(scope, end).values_list("day").annotate(
        r=Sum("registered_venues"), a=Sum("active_venues"))}  # fmt: skip
    registered, share = [], []
    for d in _days(scope, end):
        r, a = rows.get(d, (0, 0))
        registered.append((d.strftime("%d/%m"), int(r)))
        share.append((d.strftime("%d/%m"), a / r if r else 0))
    return (
        Series("registered", _("Registered venues"), _("Day"), _("Venues"), "columns", registered),
        Series("active_share", _("Share of venues with check-ins"), _("Day"), _("Share"),
               "columns", share, percent=True),
    )  # fmt: skip


def declarations(scope: Scope, end: datetime.date) -> tuple[Series, Series]:
    rows = _period(scope, end, DeclarationDay)
    sick = dict(rows.filter(kind=DeclarationDay.Kind.SYMPTOMS).values_list("day")
                .annotate(n=Sum("count")))  # fmt: skip
    health = Series("symptoms", _("Health declarations with symptoms"), _("Day"),
                    _("Declarations"), "columns",
                    [(d.strftime("%d/%m"), suppress(sick.get(d, 0)))
                     for d in _days(scope, end)])  # fmt: skip
    origins = rows.filter(kind=DeclarationDay.Kind.TRAVEL_IN).values_list("origin").annotate(
        n=Sum("count"))  # fmt: skip
    names = dict(Place.objects.filter(level=Place.Level.PROVINCE, scheme=Place.Scheme.CURRENT)
                 .values_list("code", "name"))  # fmt: skip
    ordered = sorted(origins, key=lambda r: -r[1])
    travel = Series("travel_in", _("Travel declarations into the province, by origin"),
                    _("From province"), _("Declarations"), "bars",
                    [(names.get(o, o), suppress(n)) for o, n in ordered])  # fmt: skip
    return health, travel


def dashboard(scope: Scope, end: datetime.date | None = None) -> list[Series]:
    end = end or timezone.localdate()
    registered, share = active_share(scope, end)
    charts = [per_day(scope, end), per_hour(scope), by_commune(scope, end), by_kind(scope, end),
              registered, share]  # fmt: skip
    if scope.sector is None:  # declarations are by home commune: no sector holds them
        charts.extend(declarations(scope, end))
    return charts


def home_province() -> Place:
    """The province this installation serves (VAORA_PROVINCE_CODE)."""
    province = installation_province()
    if province is None:
        raise Place.DoesNotExist(f"province {installation_province_code()} is not loaded")
    return province


def scope_for(user, commune: Place | None, days: int | None, day: datetime.date | None) -> Scope:
    """What a user's dashboard covers: a chosen commune (already checked to be in their area),
    else their jurisdiction (the whole province for administrators); 30 days unless another
    offered period is asked; the hourly chart on `day`, else today."""
    return Scope(commune or user.jurisdiction or home_province(),
                 days if days in PERIODS else 30, day or timezone.localdate(),
                 sector_of(user))  # fmt: skip


def public() -> tuple[Scope, list[Series]]:
    """The press page: the province up to yesterday — figures change once a day, not as people
    move."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    scope = Scope(home_province(), 30, yesterday)
    registered, share = active_share(scope, yesterday)
    series = [per_day(scope, yesterday), by_commune(scope, yesterday), by_kind(scope, yesterday),
              registered, share]  # fmt: skip
    return scope, series
