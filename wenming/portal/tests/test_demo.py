"""Demo data of the portal: a live-looking front page on a fresh install, work left for the demo accounts."""

from django.utils import timezone

from wenming.demo.builder import seed_core
from wenming.demo.modules import portal as demo
from wenming.portal import selectors
from wenming.portal.models import Article


def test_demo_portal_looks_alive_and_leaves_work_for_the_demo_accounts(db, media, client):
    ctx = seed_core(size="tiny", seed=7)
    demo.seed(ctx)
    public = selectors.public_articles()
    assert public.count() >= 14 * demo.PER_CITY["tiny"] + len(demo.PROVINCE_ITEMS)
    assert public.values("organization__city_code").distinct().count() >= 14
    assert all(a.published_at.year == timezone.localdate().year for a in public)
    assert public.filter(category="notice").count() >= 4 and public.filter(cover__isnull=False).exists()
    page = client.get("/").content.decode()
    assert "通知公告" in page and "最美快递员" in page
    # the editorial chain has something for each demo account
    assert Article.objects.filter(status="draft", created_by=ctx.users["sf_shenyang"]).exists()
    assert selectors.awaiting_city_review(ctx.users["shenyang"]).exists()
    assert selectors.awaiting_publication(ctx.users["province"]).exists()
    assert Article.objects.filter(status="scheduled", publish_at__gt=timezone.now()).exists()
    before = Article.objects.count()
    demo.seed(ctx)
    assert Article.objects.count() == before
