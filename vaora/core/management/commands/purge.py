import json

from django.core.management.base import BaseCommand

from vaora.core.retention import purge


class Command(BaseCommand):
    help = "Deletes personal visit and declaration data older than VAORA_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        counts = purge()
        if options["json"]:
            self.stdout.write(json.dumps(counts))
        else:
            self.stdout.write("purged: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
