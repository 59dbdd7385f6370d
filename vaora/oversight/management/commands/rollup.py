import json
import time

from django.core.management.base import BaseCommand

from vaora.oversight import reminders, rollups


class Command(BaseCommand):
    help = ("Updates the oversight rollups (per-day and per-hour counts, each venue's status) "
            "from new visits and declarations; --digest also sends the daily digest.")  # fmt: skip

    def add_arguments(self, parser):
        parser.add_argument("--digest", action="store_true", help="send the daily digest too")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        started = time.perf_counter()
        counts = rollups.refresh()
        if options["digest"]:
            counts["digest_messages"] = reminders.send_digests()
        counts["seconds"] = round(time.perf_counter() - started, 1)
        if options["json"]:
            self.stdout.write(json.dumps(counts))
        else:
            self.stdout.write("rollup: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
