from django.core.management.base import BaseCommand

from vaora.core.models import Place
from vaora.core.places import load_current_places


class Command(BaseCommand):
    help = "Loads Viet Nam's provinces and communes (2025 two-tier units, GSO codes). Idempotent."

    def handle(self, *args, **options):
        report = load_current_places()
        current = Place.objects.filter(scheme=Place.Scheme.CURRENT)
        provinces = current.filter(level=Place.Level.PROVINCE).count()
        communes = current.filter(level=Place.Level.COMMUNE).count()
        self.stdout.write(
            f"places: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged; now {provinces} provinces, {communes} communes"
        )
