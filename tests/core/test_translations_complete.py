"""Every string of the interface has its Vietnamese translation (Vietnamese is the default)."""

from pathlib import Path

import polib

CATALOGUE = Path(__file__).parents[2] / "vaora" / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_it_translates_every_message_to_vietnamese():
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    assert missing == []
    assert len(catalogue) > 100
