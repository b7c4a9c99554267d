"""Comments: sentiment (snownlp) and keywords (jieba); negative ones become follow-ups of the outlet's
enterprise, whose users are notified; handling is recorded."""

from datetime import date

import pytest
from django.urls import reverse

from wenming.surveys import comments, services
from wenming.surveys.choices import FollowUpStatus
from wenming.surveys.models import CommentInsight
from wenming.workbench.models import Notification

from .conftest import add_response

BAD = "快递员态度非常恶劣，包裹被摔坏了，打电话投诉也没人管，太差劲了"
GOOD = "快递员服务热情周到，送货很快，非常满意，谢谢"


def test_analyse_tells_negative_from_positive_and_finds_keywords():
    bad, words = comments.analyse(BAD)
    good, _ = comments.analyse(GOOD)
    assert bad < comments.NEGATIVE_BELOW < good
    assert words and any(w in BAD for w in words) and len(words) <= comments.KEYWORDS


@pytest.mark.django_db
def test_negative_comment_is_routed_to_the_enterprise_and_handled(
    client, org_tree, personas, questionnaire, django_capture_on_commit_callbacks
):
    add_response(org_tree.shenyang_outlet, questionnaire, 20, date(2026, 3, 2), comment=BAD)
    add_response(org_tree.shenyang_outlet, questionnaire, 95, date(2026, 3, 3), comment=GOOD)
    add_response(org_tree.shenyang_outlet, questionnaire, 80, date(2026, 3, 4))  # no comment
    with django_capture_on_commit_callbacks(execute=True):
        assert comments.process() == 2
    assert comments.process() == 0  # incremental: nothing new
    bad = CommentInsight.objects.get(negative=True)
    assert bad.status == FollowUpStatus.OPEN and bad.enterprise_id == org_tree.shenyang_enterprise.pk
    assert CommentInsight.objects.get(negative=False).status == FollowUpStatus.NONE
    notes = Notification.objects.filter(recipient=personas.shenyang_enterprise)
    assert notes.count() == 1 and "负面留言" in notes.get().title
    assert not Notification.objects.filter(recipient=personas.dalian_admin).exists()
    client.force_login(personas.shenyang_enterprise)
    page = client.get(reverse("surveys:comments"), {"status": "open"}).content.decode()
    assert "摔坏" in page and "谢谢" not in page
    resp = client.post(reverse("surveys:comment-handle", args=[bad.pk]), {"note": "已上门致歉并赔偿"})
    assert resp.status_code == 302
    bad.refresh_from_db()
    assert bad.status == FollowUpStatus.HANDLED and bad.handling_note == "已上门致歉并赔偿"
    client.force_login(personas.dalian_admin)
    assert client.post(reverse("surveys:comment-handle", args=[bad.pk]), {"note": "x"}).status_code == 404
    page = client.get(reverse("surveys:outlet", args=[org_tree.shenyang_outlet.pk]))
    assert page.status_code == 404
    assert services.outlet_info(org_tree.shenyang_outlet.pk).enterprise_id == org_tree.shenyang_enterprise.pk
