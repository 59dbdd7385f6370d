"""vaora backup FILE — a consistent copy of the database, safe while the server runs."""

import json

from django.core.management.base import BaseCommand, CommandError

from vaora.core import backup
from vaora.core.errors import VaoraError


class Command(BaseCommand):
    help = "Backs up the database to FILE (SQLite online backup, or pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            result = backup.backup(file)
        except VaoraError as error:
            raise CommandError(f"{error.message_vi} / {error.message_en}") from None
        self.stdout.write(json.dumps(result))
