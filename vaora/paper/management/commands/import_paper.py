import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vaora.core.errors import VaoraError
from vaora.paper import services
from vaora.venues.models import Venue


class Command(BaseCommand):
    help = (
        "vaora import-paper FILE.csv|xlsx --venue CODE [--json] [--rejected OUT.csv]: stores the "
        "visits of a filled paper register; refused rows are reported with line numbers and "
        "written to a CSV to fix and import again. Importing the same rows twice adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--venue", required=True, help="the venue's 8-character code")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--rejected", help="where to write refused rows "
                            "(default: FILE-rejected.csv when any row is refused)")  # fmt: skip

    def handle(self, *args, file, venue, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        target = Venue.objects.filter(short_code=venue.strip().upper()).first()
        if target is None:
            raise CommandError(f"no venue has the code {venue!r}")
        try:
            upload = services.import_file(target, path)
        except VaoraError as error:
            raise CommandError(f"{error.code}: {error.message_en}") from None
        if upload.status != "done":
            raise CommandError(f"{upload.error_code}: {upload.error_en}")
        rejected_path = None
        if upload.rejected:
            rejected_path = Path(options["rejected"] or path.with_name(f"{path.stem}-rejected.csv"))
            rejected_path.write_text(upload.rejected_csv, encoding="utf-8")
        report = {"upload_id": upload.pk, "venue": target.short_code,
                  "total_rows": upload.total_rows, "stored": upload.stored,
                  "duplicates": upload.duplicates, "rejected": upload.rejected,
                  "rejected_file": str(rejected_path) if rejected_path else None,
                  "errors": upload.errors}  # fmt: skip
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        self.stdout.write(
            f"{upload.total_rows} rows: {upload.stored} stored, {upload.duplicates} already "
            f"stored, {upload.rejected} rejected"
        )
        for error in upload.errors:
            self.stdout.write(f"  line {error['line']}: {error['column']}: "
                              f"{error['message_en']} ({error['code']})")  # fmt: skip
        if rejected_path:
            self.stdout.write(f"Rejected rows (fix and import again): {rejected_path}")
