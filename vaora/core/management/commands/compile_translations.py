"""Compiles the .po catalogues to .mo with polib, so setup needs no GNU gettext tools."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compiles every django.po under LOCALE_PATHS to django.mo (pure Python)."

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                untranslated = catalogue.untranslated_entries() + catalogue.fuzzy_entries()
                if untranslated:
                    raise CommandError(
                        f"{po_path}: {len(untranslated)} untranslated or fuzzy entries, "
                        f"first: {untranslated[0].msgid!r}"
                    )
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
        self.stdout.write(f"translations: {compiled} catalogue(s) compiled")
