"""Staff pages: the dashboard reads the rollup, exports are audited, the builder keeps published
versions frozen and makes new versions, posters are PDFs (batch in the background)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.exports.models import GeneratedFile
from wenming.surveys import rollup, services
from wenming.surveys.choices import QuestionnaireStatus
from wenming.surveys.models import Question, Questionnaire

from .conftest import add_response


@pytest.fixture
def data(org_tree, questionnaire, second_outlet):
    for i in range(35):
        add_response(org_tree.shenyang_outlet, questionnaire, 82 + (i % 5), date(2026, 2, 1 + i % 28))
        add_response(second_outlet, questionnaire, 70 + (i % 5), date(2026, 2, 1 + i % 28))
        add_response(org_tree.dalian_outlet, questionnaire, 78, date(2026, 2, 1 + i % 28))
    rollup.refresh()


@pytest.mark.django_db
def test_dashboard_bands_and_scope(client, personas, org_tree, data):
    client.force_login(personas.shenyang_admin)
    resp = client.get(reverse("surveys:dashboard"), {"grain": "outlet", "period": "quarter", "year": 2026, "part": 1})
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "顺丰沈阳和平营业部" in body and "顺丰沈阳皇姑营业部" in body and "中通大连中山营业部" not in body
    assert "良好" in body and "待改进" in body  # 84.0 good, 72.0 weak
    city = client.get(reverse("surveys:dashboard"), {"grain": "city", "period": "year", "year": 2026}).content.decode()
    assert "沈阳市" in city and "大连市" not in city


@pytest.mark.django_db
def test_dashboard_index_table_and_total_figures(client, personas, org_tree, data, second_outlet):
    """The cells of an index row and the total tiles, by hand: 和平 has 35 responses of 82…86 (seven
    each): mean 84.0, s² = 70 / 34, half-width 1.96 · s / √35 = 0.48; 皇姑 the same 12 points lower."""
    client.force_login(personas.shenyang_admin)
    resp = client.get(reverse("surveys:dashboard"), {"grain": "outlet", "period": "quarter", "year": 2026, "part": 1})
    body = resp.content.decode()
    url = reverse("surveys:outlet", args=[org_tree.shenyang_outlet.pk])
    heping = body[body.index(f'<a href="{url}">顺丰沈阳和平营业部</a>') :]
    heping = heping[: heping.index("</tr>")]
    for cell in (
        '<td data-label="样本量" class="num">35</td>',
        '<td data-label="满意度" class="num">84.0</td>',
        '<td data-label="95% 置信区间" class="num">83.5–84.5</td>',
        '<td data-label="等级"><span class="tag tag-ok">良好</span></td>',
        '<td data-label="揽收" class="num">—</td>',  # no dimension answers in these responses
    ):
        assert cell in heping, cell
    assert heping.count('class="num">—</td>') == 5  # the five dimensions, in the order of the header
    huanggu = body[body.index("顺丰沈阳皇姑营业部") :]
    assert '<td data-label="满意度" class="num">72.0</td>' in huanggu[: huanggu.index("</tr>")]
    assert body.index("顺丰沈阳和平营业部") < body.index("顺丰沈阳皇姑营业部")  # ranked by score
    assert '<div class="v" data-testid="total-score">78.0</div>' in body  # (84 + 72) / 2, 70 responses
    assert '<div class="v">70</div>' in body


@pytest.mark.django_db
def test_dashboard_export_is_streamed_and_audited(client, personas, data):
    client.force_login(personas.province_admin)
    resp = client.get(
        reverse("surveys:dashboard"), {"grain": "outlet", "period": "year", "year": 2026, "export": "csv"}
    )
    assert resp.status_code == 200 and resp.streaming
    text = b"".join(resp.streaming_content).decode("utf-8-sig")
    assert "顺丰沈阳和平营业部" in text and "中通大连中山营业部" in text and "共 3 条记录" in text
    assert AuditEvent.objects.filter(action="export", object_type="surveys.ScoreRollup").exists()
    raw = client.get(reverse("surveys:responses"), {"export": "csv"})
    assert b"".join(raw.streaming_content).decode("utf-8-sig").count("\n") == 105 + 2


@pytest.mark.django_db
def test_outlet_page_shows_quarters_and_trend(client, personas, org_tree, data):
    client.force_login(personas.shenyang_enterprise)
    resp = client.get(reverse("surveys:outlet", args=[org_tree.shenyang_outlet.pk]), {"year": 2026})
    body = resp.content.decode()
    assert resp.status_code == 200 and "84.0" in body and "2026-02" in body


@pytest.mark.django_db
def test_published_questionnaire_is_frozen_and_edits_make_a_new_version(client, personas, org_tree, questionnaire):
    client.force_login(personas.province_admin)
    url = reverse("surveys:questionnaire", args=[questionnaire.pk])
    add = {"key": "extra", "text": "网点环境整洁", "kind": "rating5", "dimension": "acceptance"}
    resp = client.post(url, add)
    assert resp.status_code == 422 and "已发布的问卷不能修改" in resp.content.decode()
    resp = client.post(reverse("surveys:questionnaire-new-version", args=[questionnaire.pk]))
    v2 = Questionnaire.objects.get(family=questionnaire.family, version=2)
    assert resp.status_code == 302 and v2.status == QuestionnaireStatus.DRAFT
    assert v2.questions.count() == questionnaire.questions.count()
    assert client.post(reverse("surveys:questionnaire", args=[v2.pk]), add).status_code == 302
    bad = dict(add, key="x2", show_if_key="problem", show_if_values="也许")
    assert "触发答案" in client.post(reverse("surveys:questionnaire", args=[v2.pk]), bad).content.decode()
    client.post(reverse("surveys:questionnaire-publish", args=[v2.pk]))
    questionnaire.refresh_from_db()
    v2.refresh_from_db()
    assert (questionnaire.status, v2.status) == (QuestionnaireStatus.RETIRED, QuestionnaireStatus.PUBLISHED)
    assert not Question.objects.filter(questionnaire=questionnaire, key="extra").exists()
    info = services.outlet_info(org_tree.shenyang_outlet.pk)
    assert services.questionnaire_for(info).id == v2.pk  # the outlets' page uses the new version
    page = client.get(reverse("public:surveys-outlet", args=[services.outlet_token(org_tree.shenyang_outlet.pk)]))
    assert "网点环境整洁" in page.content.decode()


@pytest.mark.django_db
def test_outlet_poster_pdf_and_background_batch(client, personas, org_tree, questionnaire):
    client.force_login(personas.shenyang_admin)
    resp = client.get(reverse("surveys:poster", args=[org_tree.shenyang_outlet.pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf" and resp.content[:4] == b"%PDF"
    assert client.get(reverse("surveys:poster", args=[org_tree.dalian_outlet.pk])).status_code == 404
    resp = client.post(reverse("surveys:posters"), {"organization": org_tree.shenyang.pk})
    gf = GeneratedFile.objects.get(kind="surveys.posters.pdf")
    assert resp.status_code == 302 and resp["Location"] == reverse("exports:file-status", args=[gf.pk])
    from wenming.exports.services import generated_file_build

    generated_file_build(gf.pk)
    gf.refresh_from_db()
    assert gf.status == "done" and gf.file.read()[:4] == b"%PDF"
    assert client.post(reverse("surveys:posters"), {"organization": org_tree.dalian.pk}).status_code == 404


@pytest.mark.django_db
def test_pages_render_for_the_roles(client, personas, org_tree, questionnaire, data):
    for user in (personas.province_admin, personas.shenyang_admin, personas.shenyang_enterprise):
        client.force_login(user)
        for name in ("surveys:dashboard", "surveys:responses", "surveys:comments"):
            assert client.get(reverse(name)).status_code == 200, (user, name)
    client.force_login(personas.shenyang_enterprise)
    assert client.get(reverse("surveys:questionnaires")).status_code == 403
    client.force_login(personas.province_admin)
    assert client.get(reverse("surveys:questionnaires")).status_code == 200


@pytest.mark.django_db
def test_query_counts_are_flat_and_small(client, personas, data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.province_admin)
    pages = [
        (reverse("surveys:dashboard"), {"grain": "outlet", "period": "year", "year": 2026}),
        (reverse("surveys:responses"), {}),
        (reverse("surveys:comments"), {}),
        (reverse("surveys:questionnaires"), {}),
    ]
    for url, params in pages:
        counts = []
        for size in (10, 50):
            client.get(url, {**params, "size": size})
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, {**params, "size": size}).status_code == 200
            counts.append(len(ctx))
        assert counts[0] == counts[1] and counts[0] <= 10, (url, counts, [q["sql"][:120] for q in ctx.captured_queries])


@pytest.mark.django_db
def test_empty_dashboard_and_bad_poster_input_do_not_fail(client, personas, org_tree):
    client.force_login(personas.province_admin)
    resp = client.get(reverse("surveys:dashboard"))
    assert resp.status_code == 200 and "该周期暂无答卷" in resp.content.decode()
    assert client.get(reverse("surveys:dashboard"), {"year": "abc", "part": "99", "grain": "x"}).status_code == 200
    assert client.post(reverse("surveys:posters"), {"organization": "文文文"}).status_code == 404
    assert (
        client.get(reverse("surveys:outlet", args=[org_tree.shenyang_outlet.pk]), {"year": "99999"}).status_code == 200
    )


@pytest.mark.django_db
def test_dashboard_filter_shows_the_period_it_defaults_to(client, personas, data):
    """No query: the page shows the latest month's quarter, and the filter's year and quarter say so."""
    client.force_login(personas.shenyang_admin)
    body = client.get(reverse("surveys:dashboard")).content.decode()
    assert "2026年第1季度" in body
    assert re.search(r'name="year"[^>]*value="2026"', body) and re.search(r'name="part"[^>]*value="1"', body)
