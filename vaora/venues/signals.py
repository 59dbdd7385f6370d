"""Any saved or deleted venue or zone moves the `places` change counter, so every server
process's in-memory directory of codes (ingest/directory.py) reloads before its next batch:
revoking or reissuing a poster takes effect on the next scan everywhere."""

from django.db.models.signals import post_delete, post_save

from vaora.core import changes
from vaora.venues.models import Venue, Zone


def places_changed(sender, **kwargs) -> None:
    changes.bump(changes.PLACES)


for model in (Venue, Zone):
    post_save.connect(places_changed, sender=model, dispatch_uid=f"vaora-places-{model.__name__}")
    post_delete.connect(places_changed, sender=model,
                        dispatch_uid=f"vaora-places-gone-{model.__name__}")  # fmt: skip
