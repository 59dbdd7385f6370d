from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vaora.core.errors import VaoraError
from vaora.venues import posters, tokens


class Command(BaseCommand):
    help = "Writes the poster of a venue or zone, by its 8-character code (e.g. ABCD-EF23)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="the venue's or zone's short code")
        parser.add_argument("-o", "--output", required=True, help="file to write")
        parser.add_argument(
            "--format", choices=posters.FORMATS, help="default: from the file name, else pdf"
        )
        parser.add_argument("--size", choices=list(posters.SIZES), default="a4")

    def handle(self, *args, code, output, format, size, **options):
        path = Path(output)
        fmt = format or (path.suffix.lstrip(".").lower() if path.suffix else "pdf")
        if fmt not in posters.FORMATS:
            raise CommandError(f"unknown format {fmt!r}: use pdf, png or svg")
        try:
            scanned = tokens.find_by_short_code(code)
        except VaoraError as error:
            raise CommandError(f"{error.code}: {error.message_en}") from None
        target = scanned.zone or scanned.venue
        path.write_bytes(posters.poster(target, fmt, size))
        self.stdout.write(f"{path}: {fmt} {size} poster of {target.name} ({target.display_code})")
