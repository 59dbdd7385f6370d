import json

from django.core.management.base import BaseCommand, CommandError

from vaora.core.errors import VaoraError
from vaora.core.models import Place
from vaora.venues import services, tokens
from vaora.venues.management.helpers import find_organisation, system_actor
from vaora.venues.models import Kind


class Command(BaseCommand):
    help = (
        "vaora venue create --organisation ID_OR_CODE --name NAME --kind KIND --commune CODE "
        "[--address ...] [--capacity N] [--plate ...] [--route ...] [--operator ...] [--json]"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create"])
        parser.add_argument("--organisation", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=Kind.values)
        parser.add_argument("--commune", required=True, help="GSO code of the commune or ward")
        parser.add_argument("--address", default="")
        parser.add_argument("--capacity", type=int)
        parser.add_argument("--stay-minutes", type=int, dest="default_stay_minutes")
        parser.add_argument("--plate", dest="plate_number", default="")
        parser.add_argument("--route", default="")
        parser.add_argument("--operator", dest="operator_name", default="")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, action, organisation, commune, **options):
        target = find_organisation(organisation)
        place = Place.objects.filter(scheme="2025", level="commune", code=commune.zfill(5)).first()
        if place is None:
            raise CommandError(f"no commune or ward with code {commune!r}")
        fields = {k: options[k] for k in services.VENUE_FIELDS if options.get(k) is not None}
        fields["commune"] = place
        try:
            venue = services.create_venue(system_actor(), target, fields)
        except VaoraError as error:
            detail = getattr(error, "fields", "")
            raise CommandError(f"{error.code}: {error.message_en} {detail}") from None
        result = {"id": venue.pk, "name": venue.name, "short_code": venue.short_code,
                  "url": tokens.url_for(venue)}  # fmt: skip
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(f"venue {venue.pk} created: {venue.name} ({venue.display_code})")
