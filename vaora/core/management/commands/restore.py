"""vaora restore FILE — a backup into an empty database (a new file or database)."""

import json

from django.core.management.base import BaseCommand, CommandError

from vaora.core import backup
from vaora.core.errors import VaoraError


class Command(BaseCommand):
    help = "Restores a vaora backup into the configured database, which must be empty."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            result = backup.restore(file)
        except VaoraError as error:
            raise CommandError(f"{error.message_vi} / {error.message_en}") from None
        self.stdout.write(json.dumps(result))
