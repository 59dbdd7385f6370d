import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vaora.core.errors import VaoraError
from vaora.venues import importer
from vaora.venues.management.helpers import find_organisation, system_actor


class Command(BaseCommand):
    help = (
        "vaora venues import FILE.csv|xlsx --organisation ID_OR_CODE [--json]: registers venues "
        "or vehicles from a spreadsheet; bad rows are reported with line numbers, good ones kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import"])
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True,
                            help="organisation id, or its tax/agency code")  # fmt: skip
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, action, file, organisation, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        target = find_organisation(organisation)
        try:
            with path.open("rb") as raw:
                report = importer.import_venues(system_actor(), target, raw, path.name)
        except VaoraError as error:
            raise CommandError(f"{error.code}: {error.message_en}") from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(
            f"{report.total_rows} rows: {report.created} created, {report.unchanged} already "
            f"registered, {len(report.rejected)} rejected"
        )
        for rejected in report.rejected:
            self.stdout.write(f"  line {rejected['line']}: {rejected['field']}: "
                              f"{rejected['message_en']} ({rejected['code']})")  # fmt: skip
