"""Every path that removes a person or deactivates an account — a service, the admin, the
purge, a cascade — revokes their check-in passes (people/passes.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from vaora.people import passes
from vaora.people.models import Account, Person


@receiver(post_delete, sender=Person, dispatch_uid="vaora-revoke-passes-of-deleted-person")
def revoke_passes_of_deleted_person(sender, instance: Person, **kwargs) -> None:
    passes.revoke(instance.pk)


@receiver(post_save, sender=Account, dispatch_uid="vaora-revoke-passes-of-inactive-account")
def revoke_passes_of_inactive_account(sender, instance: Account, **kwargs) -> None:
    """A deactivated account's API tokens and check-in passes stop (its sessions end at their
    next request: AuthenticationMiddleware refuses inactive accounts)."""
    if not instance.is_active:
        instance.api_tokens.all().delete()
        if instance.person_id is not None:
            passes.revoke(instance.person_id)
