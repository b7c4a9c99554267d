"""Abstract building blocks with no domain nouns."""

from django.db import models


class TimeStampedModel(models.Model):
    """Creation and update times for every domain row."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True
