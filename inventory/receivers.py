"""Seed the shipped taxonomy into every new wind-down, so its data map can be filled at once."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from windown.models import WindDown


@receiver(post_save, sender=WindDown, dispatch_uid="inventory.seed_taxonomy")
def seed_taxonomy_of_new_winddown(sender, instance: WindDown, created: bool, raw=False, **kwargs):
    if created and not raw:
        from inventory.services import taxonomy_seed

        taxonomy_seed(winddown=instance)
