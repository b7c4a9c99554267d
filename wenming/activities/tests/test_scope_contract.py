"""The data-scope contract applied to activities, pairings, volunteer events and certificates."""

from datetime import date, timedelta

from django.utils import timezone

from wenming.activities.models import Activity, ActivityType, Pairing, VolunteerEvent
from wenming.testing import ScopedModelContract

CITY_SHORT = {"210100": "沈阳", "210200": "大连"}


class TestActivityScope(ScopedModelContract):
    model = Activity
    list_url_name = "activities:list"
    detail_url_name = "activities:detail"
    api_list_url_name = "api:activity-list"
    api_detail_url_name = "api:activity-detail"

    def make_in(self, city):
        return Activity.objects.create(
            organization=city,
            activity_type=ActivityType.objects.get(code="civility_promotion"),
            title=f"{CITY_SHORT[city.code]}契约文明宣传活动",
            starts_at=timezone.now() - timedelta(days=1),
            address="市民广场",
            description="契约测试",
        )


class TestPairingScope(ScopedModelContract):
    model = Pairing
    list_url_name = "activities:pairing-list"
    detail_url_name = "activities:pairing-detail"

    def make_in(self, city):
        return Pairing.objects.create(
            organization=city,
            partner_name=f"{CITY_SHORT[city.code]}契约共建社区",
            partner_type="community",
            title="快递进社区",
            plan="计划",
            goals="目标",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )

    def label(self, obj):
        return obj.partner_name


class TestVolunteerEventScope(ScopedModelContract):
    model = VolunteerEvent
    list_url_name = "activities:volunteer-list"
    detail_url_name = "activities:volunteer-detail"
    export_param = None

    def make_in(self, city):
        now = timezone.now()
        return VolunteerEvent.objects.create(
            organization=city,
            title=f"{CITY_SHORT[city.code]}契约志愿服务",
            place="火车站",
            starts_at=now,
            ends_at=now + timedelta(hours=2),
        )
