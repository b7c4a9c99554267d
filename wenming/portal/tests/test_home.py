"""The portal's home page shows the other apps' public faces: the honour roll (names masked), the votes
open now, exemplary people, adopted suggestions and the complaint entry; a section with nothing to show
is left out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wenming.honours.tests import factories as honours_f
from wenming.publicity.tests import factories as publicity_f
from wenming.voting.tests.helpers import running_poll

pytestmark = pytest.mark.django_db


def _rows(t):
    courier = honours_f.courier(t.shenyang_outlet, name="王建国")
    title = honours_f.title(
        "most_beautiful_courier", t.shenyang_outlet, courier=courier, holder="王建国", level="province"
    )
    poll = running_poll(t.shenyang)
    ended = running_poll(
        t.dalian, opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(days=1)
    )
    person = publicity_f.exemplar(t.shenyang_outlet, "published", name="李小红")
    adopted = publicity_f.suggestion(t.shenyang, "adopted", title="建议在老旧小区增设智能快件箱")
    pending = publicity_f.suggestion(t.shenyang, "answered", title="尚未采纳的建议不应出现")
    return title, poll, ended, person, adopted, pending


def test_home_shows_honours_open_votes_people_suggestions_and_the_complaint_entry(org_tree, client):
    title, poll, ended, person, adopted, pending = _rows(org_tree)
    page = client.get("/").content.decode()
    assert "王*国（顺丰沈阳和平营业部）" in page and "王建国" not in page  # masked with the unit
    assert title.programme.name in page and f'href="{reverse("public:honours-roll")}"' in page
    assert f'href="{reverse("public:voting-poll", args=[poll.pk])}"' in page
    assert reverse("public:voting-poll", args=[ended.pk]) not in page  # closed: not a current vote
    assert f'href="{person.public_path()}"' in page and "李*红" in page and "李小红" not in page
    assert adopted.title in page and pending.title not in page
    assert f'href="{reverse("public:publicity-suggestions")}"' in page
    assert f'href="{reverse("public:complaints-form")}"' in page
    assert f'href="{reverse("public:complaints-lookup")}"' in page
    assert b"<script" not in client.get("/").content


def test_home_hides_the_sections_it_has_nothing_for(org_tree, client):
    publicity_f.suggestion(org_tree.shenyang, "answered")
    publicity_f.exemplar(org_tree.shenyang_outlet, "draft")
    page = client.get("/").content.decode()
    for heading in ('id="sec-honours"', 'id="sec-polls"', 'id="sec-people"', 'id="sec-suggestions"'):
        assert heading not in page
    assert f'href="{reverse("public:complaints-form")}"' in page  # the entry is always there


def test_home_sections_cost_a_handful_of_queries(org_tree, client):
    _rows(org_tree)
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for _ in range(5):
        honours_f.title("youth_civilization", org_tree.dalian_outlet)
        running_poll(org_tree.dalian)
        publicity_f.exemplar(org_tree.dalian_outlet, "published")
        publicity_f.suggestion(org_tree.dalian, "adopted")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/").content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert page.count('class="pt-item') == 4 * 6 + 4  # six of each, and the four entry links (服务评价 too)


def test_error_pages_lead_back_to_the_workbench_and_to_the_portal(client):
    page = client.get("/no-such-page/").content.decode()
    assert f'href="{reverse("workbench:home")}"' in page and "返回工作台" in page
    assert f'href="{reverse("site-home")}"' in page and "返回首页" in page
