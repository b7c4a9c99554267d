"""Cache busting only (no domain flow in signals): brand choices shown in list filters."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Brand
from .selectors import BRAND_CHOICES_KEY


@receiver([post_save, post_delete], sender=Brand)
def brand_changed(**kwargs) -> None:
    cache.delete(BRAND_CHOICES_KEY)
