"""`vaora citus-layout`: spreads the database over a Citus cluster by province
(docs/decisions/0018). Refuses where the citus extension is not installed; `--print` shows
the statements without running them."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from vaora.core import citus


class Command(BaseCommand):
    help = "Distribute visits by province over Citus (needs the citus extension)."

    def add_arguments(self, parser):
        parser.add_argument("--print", action="store_true", dest="show",
                            help="print the statements, run nothing")  # fmt: skip

    def handle(self, *args, show, **options):
        if connection.vendor != "postgresql":
            raise CommandError("citus_needs_postgresql: Citus là phần mở rộng của PostgreSQL;"
                               " cơ sở dữ liệu này là SQLite. / Citus extends PostgreSQL;"
                               " this database is SQLite.")  # fmt: skip
        ddl = citus.statements()
        if show:
            self.stdout.write("\n".join(ddl))
            return
        if not citus.citus_installed():
            raise CommandError(str(citus.CitusMissing()))
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in ddl:
                self.stdout.write(statement)
                cursor.execute(statement.split(";  --")[0].rstrip(";"))
        self.stdout.write(self.style.SUCCESS(f"{len(ddl)} statements run."))
