import json

from django.core.management.base import BaseCommand, CommandError

from vaora.core import signing
from vaora.core.models import SigningKey


class Command(BaseCommand):
    help = (
        "QR signing keys: `list`, `rotate` (a new key signs from now on; old codes stay valid), "
        "`retire KID` (codes signed with that key stop working)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "rotate", "retire"])
        parser.add_argument("kid", nargs="?", type=int)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, action, kid, **options):
        if action == "rotate":
            key = signing.rotate()
            self.stdout.write(f"key {key.kid} now signs new codes")
        elif action == "retire":
            if kid is None:
                raise CommandError("say which key: vaora keys retire KID")
            try:
                signing.retire(kid)
            except SigningKey.DoesNotExist:
                raise CommandError(f"no key {kid}") from None
            self.stdout.write(f"key {kid} retired: codes it signed are refused from now on")
        keys = SigningKey.objects.order_by("kid")
        rows = [
            {"kid": k.kid, "created_at": k.created_at.isoformat(),
             "retired_at": k.retired_at.isoformat() if k.retired_at else None}
            for k in keys
        ]  # fmt: skip
        if options["json"]:
            self.stdout.write(json.dumps(rows))
        elif action == "list":
            for row in rows:
                self.stdout.write(
                    f"{row['kid']:>4}  {row['created_at']}  {row['retired_at'] or ''}"
                )
