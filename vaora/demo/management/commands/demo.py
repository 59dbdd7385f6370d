import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vaora.demo.generate import (
    DEMO_PASSWORD,
    DemoReport,
    ensure_required_list,
    ensure_role_users,
    generate_people,
    generate_venues,
    nghe_an_communes,
)
from vaora.demo.sectors import ensure_park
from vaora.venues.models import Organisation


def _positive(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError
    return number


class Command(BaseCommand):
    help = (
        "Loads deterministic demo data for Nghệ An: organisations and venues of every kind, "
        "people with dependants, and one user of every role. Idempotent: running it again adds "
        "nothing; larger counts extend the same data set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=_positive, default=2000, help="adults with phones")
        parser.add_argument("--venues", type=_positive, default=150, help="venues in total")
        parser.add_argument(
            "--days", type=_positive, default=None,
            help="span of generated history, in days (default: one day less than "
                 "VAORA_RETENTION_DAYS, so the first daily purge deletes none of it)",
        )  # fmt: skip
        parser.add_argument("--seed", type=_positive, default=1, help="random seed")
        parser.add_argument("--visits", type=int, default=0,
                            help="visits to generate over --days (e.g. 10000000)")  # fmt: skip
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already holds organisations (used by make run)",
        )

    def handle(self, *args, people, venues, days, seed, if_empty, visits, **options):
        if not settings.DEBUG:
            raise CommandError(
                "vaora demo chỉ chạy ở chế độ phát triển (VAORA_DEBUG=1): nó tạo tài khoản với "
                "mật khẩu demo công khai. / vaora demo refuses to run outside debug mode "
                "(VAORA_DEBUG=1): it creates accounts with the public demo password."
            )
        if days is None:
            days = max(1, settings.VAORA_RETENTION_DAYS - 1)
        self.load(people=people, venues=venues, days=days, seed=seed, if_empty=if_empty,
                  visits=visits, logins=True)  # fmt: skip

    def load(self, *, people, venues, days, seed, if_empty=False, visits=0, logins=True):
        """The demo data (benchmarks call this with logins=False: no account with the public
        password, so they may run with debug off, as production does)."""
        if days < 1:
            raise CommandError("--days must be at least 1")
        if if_empty and Organisation.objects.exists():
            self._print_existing_logins()
            return
        started = time.monotonic()
        report = DemoReport()
        communes = nghe_an_communes()
        self.stdout.write(f"Nghệ An: {len(communes)} communes and wards")
        generate_venues(seed, venues, communes, report)
        self.stdout.write(
            f"organisations: {report.organisations_created} created; "
            f"venues: {report.venues_created} created"
        )

        def progress(done, total):
            if total >= 20000 and done % 50000 in (0, total % 50000):
                self.stdout.write(f"  people: {done:,}/{total:,}")

        generate_people(seed, people, days, communes, report, progress)
        self.stdout.write(
            f"people: {report.people_created} adults and {report.dependants_created} "
            f"dependants created"
        )
        if logins:
            ensure_role_users(seed, communes, report)
        ensure_required_list(seed, communes)
        park = ensure_park(seed)
        self.stdout.write(f"industrial park: {park.memberships.filter(until__isnull=True).count()}"
                          " enterprises (the economic-zone board's group)")  # fmt: skip
        if visits < 0:
            raise CommandError("--visits cannot be negative")
        if visits:
            self._visits(seed, visits, days)
        self.stdout.write(f"done in {time.monotonic() - started:.1f} s\n")
        if not logins:
            return
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}) — development only:")
        for username, role, label in report.logins:
            self.stdout.write(f"  {username:<10} {role!s:<24} {label}")

    def _visits(self, seed: int, count: int, days: int) -> None:
        from vaora.demo.visits import generate_visits

        begun = time.monotonic()

        def progress(done, total):
            if done % 1_000_000 < 20_000 or done == total:
                rate = done / max(time.monotonic() - begun, 0.001)
                self.stdout.write(f"  visits: {done:,}/{total:,} ({rate:,.0f}/s)")

        # Only within the retention period: older visits would be purged at once.
        self.visit_phases = {}
        stored = generate_visits(seed, count, min(days, settings.VAORA_RETENTION_DAYS), progress,
                                 self.visit_phases)  # fmt: skip
        seconds = time.monotonic() - begun
        rate = stored / max(seconds, 0.001)
        self.stdout.write(f"visits: {stored:,} created in {seconds:.1f} s"
                          f" ({rate:,.0f}/s, indexes included)")  # fmt: skip

    def _print_existing_logins(self):
        from vaora.people.models import Account

        self.stdout.write("The database already has data; demo data not loaded again.")
        accounts = Account.objects.exclude(role="citizen").order_by("role", "username")[:20]
        if accounts:
            self.stdout.write(f"Sign-in accounts (demo password, if unchanged: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<10} {account.get_role_display()!s:<24}")
