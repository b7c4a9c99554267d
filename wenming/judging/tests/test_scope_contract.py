"""The data-scope contract applied to schemes, rounds, panels and committee votes."""

from datetime import timedelta

from django.utils import timezone

from wenming.judging.models import CommitteeVote, Panel, Round, Scheme
from wenming.testing import ScopedModelContract

CITY_SHORT = {"210100": "沈阳", "210200": "大连"}

CONTRACT_EXEMPT = {
    "judging.Entry": "参评对象只在其评审的页面上显示，随评审（组织单位）的数据范围；由 Round 契约覆盖",
    "judging.PanelMember": "评审专家只在其评审组页面上显示，随评审组的数据范围；由 Panel 契约覆盖",
}


def _scheme(city) -> Scheme:
    return Scheme.objects.create(
        organization=city, family=f"contract-{city.code}", name=f"{CITY_SHORT[city.code]}契约测评体系"
    )


class TestSchemeScope(ScopedModelContract):
    model = Scheme
    list_url_name = "judging:scheme-list"
    detail_url_name = "judging:scheme-detail"
    search_param = None
    export_param = None

    def make_in(self, city):
        return _scheme(city)

    def label(self, obj):
        return obj.name


class TestRoundScope(ScopedModelContract):
    model = Round
    list_url_name = "judging:round-list"
    detail_url_name = "judging:round-detail"
    search_param = None
    api_list_url_name = "api:judging-round-list"
    api_detail_url_name = "api:judging-round-detail"

    def make_in(self, city):
        now = timezone.now()
        return Round.objects.create(
            organization=city,
            title=f"{CITY_SHORT[city.code]}契约文明窗口评审",
            scheme=_scheme(city),
            opens_at=now,
            closes_at=now + timedelta(days=5),
        )

    def label(self, obj):
        return obj.title


class TestPanelScope(ScopedModelContract):
    model = Panel
    list_url_name = "judging:panel-list"
    detail_url_name = "judging:panel-detail"
    search_param = None
    export_param = None

    def make_in(self, city):
        return Panel.objects.create(organization=city, name=f"{CITY_SHORT[city.code]}契约专家组")

    def label(self, obj):
        return obj.name


class TestCommitteeVoteScope(ScopedModelContract):
    model = CommitteeVote
    list_url_name = "judging:committee-list"
    detail_url_name = "judging:committee-detail"
    search_param = None
    export_param = None

    def make_in(self, city):
        return CommitteeVote.objects.create(organization=city, title=f"{CITY_SHORT[city.code]}契约审定表决")

    def label(self, obj):
        return obj.title
