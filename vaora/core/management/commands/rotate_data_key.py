"""`vaora rotate-data-key`: re-encrypts every personal value and rebuilds the blind indexes with
the current VAORA_DATA_KEY (the old one in VAORA_OLD_DATA_KEYS), in batches, resumable, with
progress; then says whether the old key may go. docs/operations.md, "Rotating the data key"."""

from django.core.management.base import BaseCommand, CommandError

from vaora.core import rotation
from vaora.core.errors import VaoraError


class Command(BaseCommand):
    help = "Re-encrypts personal data and rebuilds blind indexes with the current data key."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--check", action="store_true",
                            help="only count the values still sealed with an old key")  # fmt: skip

    def handle(self, *args, batch_size: int, check: bool, **options) -> None:
        if not 1 <= batch_size <= 100_000:
            raise CommandError("--batch-size must be between 1 and 100000.")
        if not check:
            try:
                rotation.rotate(batch_size=batch_size, report=self._report)
            except VaoraError as error:
                raise CommandError(f"{error.message_vi} / {error.message_en}") from None
        left = rotation.remaining()
        for label, count in left.items():
            self.stdout.write(f"{label}: {count} value(s) under an old key")
        if any(left.values()):
            message = "Keep VAORA_OLD_DATA_KEYS; run `vaora rotate-data-key` again."
            self.stdout.write(self.style.WARNING(message))
        else:
            message = "Everything is under the current key: VAORA_OLD_DATA_KEYS may be emptied."
            self.stdout.write(self.style.SUCCESS(message))

    def _report(self, label: str, done: int, total: int) -> None:
        percent = done * 100 // total if total else 100
        self.stdout.write(f"{label}: {done}/{total} ({percent}%)")
