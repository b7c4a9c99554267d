"""The data-scope contract applied to questionnaires, responses, rollups and comments."""

from datetime import date

from django.urls import reverse

from wenming.surveys import rollup, services
from wenming.surveys.models import CommentInsight, Questionnaire, ScoreRollup, SurveyResponse
from wenming.testing import ScopedModelContract

from .conftest import add_response

OUTLET = {"210100": "shenyang_outlet", "210200": "dalian_outlet"}


def _outlet(city):
    from wenming.organizations.models import Organization

    return Organization.objects.get(kind="outlet", city_code=city.code)


def _q():
    return services.ensure_default_questionnaire()


class TestQuestionnaireScope(ScopedModelContract):
    model = Questionnaire
    list_url_name = "surveys:questionnaires"
    detail_url_name = "surveys:questionnaire"
    search_param = None
    export_param = None

    def make_in(self, city):
        return Questionnaire.objects.create(organization=city, family=f"c{city.code}", title=f"{city.name}网点问卷")

    def label(self, obj):
        return obj.title


class _OutletRows(ScopedModelContract):
    search_param = "outlet"

    def label(self, obj):
        return obj.outlet.organization.name

    def search_term(self, obj):
        return obj.outlet.organization.name

    def detail_url(self, obj):
        return reverse("surveys:outlet", args=[obj.outlet_id])


class TestResponseScope(_OutletRows):
    model = SurveyResponse
    list_url_name = "surveys:responses"

    def make_in(self, city):
        return add_response(_outlet(city), _q(), 82.5, date(2026, 3, 2), comment="投递及时")


class TestRollupScope(_OutletRows):
    model = ScoreRollup
    list_url_name = "surveys:dashboard"
    list_params = {"grain": "outlet", "period": "year", "year": "2026"}
    search_param = None

    def make_in(self, city):
        r = add_response(_outlet(city), _q(), 82.5, date(2026, 3, 2))
        rollup.refresh()
        return ScoreRollup.objects.get(outlet_id=r.outlet_id)


class TestCommentScope(_OutletRows):
    model = CommentInsight
    list_url_name = "surveys:comments"

    def make_in(self, city):
        o = _outlet(city)
        r = add_response(o, _q(), 40, date(2026, 3, 2), comment="态度不好")
        return CommentInsight.objects.create(
            response_id=r.id,
            outlet_id=o.pk,
            enterprise_id=r.enterprise_id,
            day=r.day,
            text=r.comment,
            sentiment=0.1,
            keywords=["态度"],
            negative=True,
            status="open",
        )
