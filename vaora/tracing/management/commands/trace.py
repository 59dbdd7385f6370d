import datetime
import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vaora.core.errors import VaoraError
from vaora.tracing import services
from vaora.tracing.models import Case
from vaora.venues.management.helpers import system_actor


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = (
        "vaora trace (--case ID | --phone P --purpose TEXT) --from DATE --to DATE [--depth N] "
        "[--min-overlap M] [--json]: finds the F1 (and F2, F3) of a case. With --phone a case "
        "is opened first: visits are only ever read inside a case with a purpose, and audited."
    )

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--case", type=int)
        who.add_argument("--phone")
        parser.add_argument("--purpose", default="", help="required with --phone")
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--depth", type=int, default=2, choices=[1, 2, 3])
        parser.add_argument("--min-overlap", type=int, default=None, help="minutes, all kinds")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **o):
        start = timezone.make_aware(datetime.datetime.combine(_day(o["start"]), datetime.time()))
        end = timezone.make_aware(datetime.datetime.combine(_day(o["end"]), datetime.time()))
        end += datetime.timedelta(days=1)  # the whole last day
        actor = system_actor()
        try:
            if o["case"]:
                case = (
                    Case.objects.for_system("the operator's command line")
                    .filter(pk=o["case"])
                    .select_related("person")
                    .first()
                )
                if case is None:
                    raise CommandError(f"no case #{o['case']}")
            else:
                case = services.open_case(actor, phone=o["phone"], purpose=o["purpose"],
                                          test_date=min(_day(o["end"]), timezone.localdate()),
                                          window_start=start, window_end=end)  # fmt: skip
            began = time.perf_counter()
            result = services.trace_case(
                actor, case, depth=o["depth"], min_overlap=o["min_overlap"], window=(start, end)
            )
            seconds = time.perf_counter() - began
        except VaoraError as error:
            raise CommandError(f"{error.code}: {error.message_en}") from None
        self._print(case, result, seconds, o["json"])

    def _print(self, case, result, seconds, as_json):
        rows = [{"degree": e.degree, "person_id": e.person_id, "via_person_id": e.via_person_id,
                 "venue_id": e.venue_id, "zone_id": e.zone_id, "transport_ref": e.transport_ref,
                 "from": e.start.isoformat(), "until": e.end.isoformat(),
                 "overlap_minutes": e.overlap_minutes, "risk": e.risk}
                for e in result["found"]]  # fmt: skip
        summary = {k: v for k, v in result.items() if k != "found"}
        if as_json:
            body = {"case": case.pk, **summary, "seconds": round(seconds, 3), "contacts": rows}
            self.stdout.write(json.dumps(body))
            return
        levels = ", ".join(f"F{d}: {summary[f'f{d}']}" for d in (1, 2, 3) if f"f{d}" in summary)
        self.stdout.write(f"case #{case.pk}: {summary['contacts']} contacts ({levels}); "
                          f"{summary['visits_read']} visits read in {seconds:.2f} s")  # fmt: skip
        for row in rows:
            self.stdout.write(f"  F{row['degree']} person {row['person_id']} via "
                              f"{row['via_person_id']} at venue {row['venue_id'] or '-'} "
                              f"{row['transport_ref']} {row['from']} "
                              f"overlap {row['overlap_minutes']} min, {row['risk']}")  # fmt: skip
