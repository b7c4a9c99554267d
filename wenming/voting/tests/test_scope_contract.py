"""The data-scope contract applied to polls (a poll belongs to the unit that runs it)."""

from datetime import timedelta

from django.utils import timezone

from wenming.testing import ScopedModelContract
from wenming.voting.models import Poll

CITY_SHORT = {"210100": "沈阳", "210200": "大连"}


class TestPollScope(ScopedModelContract):
    model = Poll
    list_url_name = "voting:list"
    detail_url_name = "voting:detail"
    search_param = None
    export_param = None

    def make_in(self, city):
        now = timezone.now()
        return Poll.objects.create(
            organization=city,
            title=f"{CITY_SHORT[city.code]}契约最美快递员网络投票",
            opens_at=now + timedelta(days=1),
            closes_at=now + timedelta(days=8),
        )

    def label(self, obj):
        return obj.title
