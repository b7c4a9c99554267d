"""The data-scope contract applied to the publicity models with pages of their own."""

from datetime import date

from wenming.publicity.models import Exemplar, MediaCoverage, Notice, Suggestion, ValueStatement
from wenming.testing import ScopedModelContract

from . import factories as f

CITY_SHORT = {"210100": "沈阳", "210200": "大连"}

CONTRACT_EXEMPT = {
    "publicity.NoticeDelivery": "接收单位与阅读回执只在通知详情页（发文方范围，由 Notice 契约覆盖）和收件箱（本单位人员）显示",
}


def _ent(city):
    return city.children.get(kind="enterprise")


class TestExemplarScope(ScopedModelContract):
    model = Exemplar
    list_url_name = "publicity:exemplar-list"
    detail_url_name = "publicity:exemplar-detail"

    def make_in(self, city):
        return f.exemplar(city, "draft", kind="team", name=f"{CITY_SHORT[city.code]}契约青年突击队")


class TestCoverageScope(ScopedModelContract):
    model = MediaCoverage
    list_url_name = "publicity:coverage-list"
    detail_url_name = "publicity:coverage-detail"

    def make_in(self, city):
        return MediaCoverage.objects.create(
            organization=city,
            title=f"{CITY_SHORT[city.code]}契约快递小哥暖心报道",
            outlet_name="辽宁日报",
            medium="newspaper",
            published_on=date(2026, 5, 1),
            reach=1000,
        )


class TestNoticeScope(ScopedModelContract):
    model = Notice
    list_url_name = "publicity:notice-list"
    detail_url_name = "publicity:notice-detail"

    def make_in(self, city):
        return f.notice(city, target="enterprises", title=f"{CITY_SHORT[city.code]}契约通知")


class TestSuggestionScope(ScopedModelContract):
    model = Suggestion
    list_url_name = "publicity:suggestion-list"
    detail_url_name = "publicity:suggestion-detail"

    def make_in(self, city):
        return f.suggestion(city, title=f"{CITY_SHORT[city.code]}契约建议")

    def label(self, obj):
        return obj.title


class TestValuesScope(ScopedModelContract):
    model = ValueStatement
    list_url_name = "publicity:values-list"
    detail_url_name = "publicity:values-detail"
    export_param = None

    def make_in(self, city):
        return f.values(_ent(city), core_values=f"{CITY_SHORT[city.code]}契约核心价值")

    def label(self, obj):
        return obj.core_values
