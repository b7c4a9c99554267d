"""Demo data of publicity: every city has public profiles with consent, every suggestion state exists,
notices carry partial read receipts, the main brands' value systems are approved; idempotent."""

from django.db.models import Count, Q

from wenming.activities.tests.conftest import media  # noqa: F401
from wenming.demo.builder import seed_core
from wenming.demo.modules import activities as activities_demo
from wenming.demo.modules import publicity as demo
from wenming.publicity import selectors
from wenming.publicity.models import Exemplar, MediaCoverage, Notice, Suggestion, ValueStatement
from wenming.publicity.workflows import SUGGESTION_WORKFLOW


def test_demo_seed_builds_a_live_publicity_section(db, media):  # noqa: F811
    ctx = seed_core(size="tiny", seed=7)
    activities_demo.seed(ctx)
    demo.seed(ctx)
    public = selectors.published_profiles()
    assert {e.organization.city_code for e in public} == set(ctx.cities)  # all 14 cities
    assert all(e.has_consent for e in public)
    assert Exemplar.objects.filter(consent_withdrawn_at__isnull=False).exclude(status="published").exists()
    assert set(Suggestion.objects.values_list("status", flat=True)) == SUGGESTION_WORKFLOW.states()
    assert all(s.phone_hint and "*" in s.phone_hint for s in Suggestion.objects.all())
    sent = Notice.objects.filter(status="sent").annotate(
        n=Count("deliveries"), r=Count("deliveries", filter=Q(deliveries__read_at__isnull=False))
    )
    assert any(0 < x.r < x.n for x in sent)  # partial read receipts
    assert selectors.unread_inbox(user=ctx.users["shenyang"]).exists()
    assert ValueStatement.objects.filter(status="approved").order_by().values("organization").distinct().count() >= 14
    assert MediaCoverage.objects.order_by().values("medium").distinct().count() == 5
    before = (Exemplar.objects.count(), Suggestion.objects.count(), MediaCoverage.objects.count())
    demo.seed(ctx)
    assert (Exemplar.objects.count(), Suggestion.objects.count(), MediaCoverage.objects.count()) == before


LISTS = [
    "/publicity/exemplars/",
    "/publicity/coverage/",
    "/publicity/coverage/stats/",
    "/publicity/notices/",
    "/publicity/inbox/",
    "/publicity/suggestions/",
    "/publicity/values/",
    "/p/publicity/people/",
    "/p/publicity/suggestions/",
]


def test_list_pages_are_flat_in_page_size(db, media, client):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ctx = seed_core(size="tiny", seed=7)
    activities_demo.seed(ctx)
    demo.seed(ctx)
    for username in ("province", "shenyang"):
        client.force_login(ctx.users[username])
        for url in LISTS:
            counts = []
            for size in (10, 50):
                client.get(url, {"size": size})  # warm per-request caches
                with CaptureQueriesContext(connection) as q:
                    assert client.get(url, {"size": size}).status_code == 200, url
                counts.append(len(q))
            assert counts[0] == counts[1], (username, url, counts)
            assert counts[0] <= 10, (username, url, counts)  # the project-wide bound (quality.md)
