"""The demo reads as real: pictures are drawn scenes (no flag-like disc), dates and numbers agree.

Seeds a tiny demo and scans it: festival-named activities in their season (端午 in June …), nothing in
the future marked as done, 获奖 ≤ 参赛 ≤ 参与, check-ins and check-outs not later than now, every
bureau's seal marked 样章.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from wenming.activities.choices import ActivityStatus
from wenming.activities.models import Activity, ActivityEvent, ActivityPhoto, VolunteerRecord, VolunteerRecordEvent
from wenming.demo.images import activity_scene_jpeg, specimen_seal_png
from wenming.demo.modules.activities import SEASONS
from wenming.organizations.choices import OrgKind
from wenming.organizations.models import IssuingSeal, Organization
from wenming.plans.models import ProgressReport, ProgressReportEvent


@pytest.fixture
def demo(db):
    call_command("seed_demo", size="tiny", stdout=StringIO())


def _flag_like(im: Image.Image) -> bool:
    """A picture that is mostly one plain background with one saturated blob (a disc on white, …)."""
    small = im.convert("RGB").resize((64, 48))
    colours = Counter((r // 32, g // 32, b // 32) for r, g, b in small.get_flattened_data())
    top = colours.most_common(3)
    share = sum(n for _, n in top) / (64 * 48)
    return len(colours) < 12 or share > 0.9


def test_pictures_are_scenes_not_discs(demo, tmp_path):
    photos = list(ActivityPhoto.objects.select_related("activity__organization"))
    assert photos
    names = {p.image.name for p in photos}
    assert all(n.startswith("activities/demo/scene-") for n in names)
    for name in sorted(names)[:12]:
        with default_storage.open(name) as f:
            im = Image.open(io.BytesIO(f.read()))
            im.load()
        assert im.size == (640, 480) and not _flag_like(im), name
    # the old placeholder (a single disc on white) is what the check refuses
    disc = Image.new("RGB", (640, 480), "white")
    from PIL import ImageDraw

    ImageDraw.Draw(disc).ellipse([220, 140, 420, 340], fill=(200, 22, 29))
    assert _flag_like(disc)
    # each picture names its activity: the banner text changes the pixels
    a = activity_scene_jpeg("我们的节日·端午", "沈阳市邮政管理局")
    b = activity_scene_jpeg("我们的节日·中秋", "沈阳市邮政管理局")
    assert a != b
    (tmp_path / "scene.jpg").write_bytes(a)


def test_dates_lie_in_season_and_in_the_past(demo):
    now = timezone.now()
    activities = list(Activity.objects.all())
    assert activities
    for a in activities:
        for word, (month, first, last) in SEASONS.items():
            if word in a.title:
                local = timezone.localtime(a.starts_at).date()
                assert local.month == month and first <= local.day <= last, (a.title, local)
        if a.status != ActivityStatus.DRAFT:
            assert a.starts_at <= now and a.ends_at <= now, a.title
        if a.status == ActivityStatus.VERIFIED and a.verified_at:
            assert a.verified_at <= now
        assert a.created_at <= now
    assert not ActivityEvent.objects.filter(at__gt=now).exists()
    assert not VolunteerRecord.objects.filter(check_in_at__gt=now).exists()
    assert not VolunteerRecord.objects.filter(check_out_at__gt=now).exists()
    assert not VolunteerRecordEvent.objects.filter(at__gt=now + timedelta(seconds=5)).exists()
    assert not ProgressReport.objects.filter(submitted_at__gt=now).exists()
    assert not ProgressReportEvent.objects.filter(at__gt=now).exists()


def test_numbers_agree(demo):
    checked = 0
    for a in Activity.objects.select_related("activity_type"):
        f = a.figures or {}
        if "contestants" in f:
            assert f["winners"] <= f["contestants"] <= a.participant_count, (a.title, f, a.participant_count)
            checked += 1
        if "attendees" in f:
            assert f["attendees"] == a.participant_count
    assert checked


def test_every_bureau_has_a_specimen_seal(demo):
    bureaus = Organization.objects.filter(kind__in=[OrgKind.PROVINCIAL_BUREAU, OrgKind.CITY_BUREAU])
    seals = IssuingSeal.objects.filter(organization__in=bureaus)
    assert seals.count() == bureaus.count() == 15 and all(s.is_specimen for s in seals)


def test_festival_titles_get_their_season():
    import random

    from wenming.demo.modules.activities import seasonal_day

    rng = random.Random(1)
    today = timezone.localdate()
    for _ in range(20):
        d = seasonal_day("我们的节日·端午", today, rng)
        assert d.month == 6 and d <= today - timedelta(days=5)
    assert seasonal_day("3·15 消费者权益日宣传", today, rng).month == 3
    assert seasonal_day("文明寄递进社区", today, rng) is None


def test_specimen_seal_says_specimen():
    im = Image.open(io.BytesIO(specimen_seal_png("辽宁省邮政管理局")))
    assert im.size == (480, 480)
    # 样章 is drawn large in the middle band: plenty of red there, more than a star alone would give
    band = im.crop((120, 260, 360, 330)).convert("RGB")
    red = sum(1 for r, g, b in band.get_flattened_data() if r > 150 and g < 100 and b < 100)
    assert red > band.width * band.height * 0.15
