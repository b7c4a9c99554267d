"""Demo data of the activities module: plausible volumes and states, idempotent."""

from wenming.activities.models import Activity, ActivityPhoto, Pairing, VolunteerEvent, VolunteerRecord
from wenming.demo.builder import seed_core
from wenming.demo.modules import activities as demo


def test_demo_seed_builds_activities_hours_and_pairings(db, media):
    ctx = seed_core(size="tiny", seed=7)
    demo.seed(ctx)
    n = Activity.objects.count()
    assert n >= 14 * demo.PER_CITY["tiny"]
    assert set(Activity.objects.values_list("organization__city_code", flat=True)) >= {"210100", "210200"}
    assert Activity.objects.filter(status="verified").count() > n / 2
    assert Pairing.objects.count() == 28 and Pairing.objects.filter(activities__isnull=False).exists()
    assert VolunteerEvent.objects.count() == 14 * demo.EVENTS_PER_CITY["tiny"]
    assert VolunteerRecord.objects.filter(status="approved").exists()
    assert VolunteerRecord.objects.filter(needs_review=True, auto_checked_out=True).exists()
    verified = Activity.objects.filter(status="verified").select_related("activity_type")
    assert all(a.photos.count() >= a.activity_type.min_photos for a in verified)
    # Dalian's account sees Dalian's records only
    dalian = ctx.users["dalian"]
    assert set(Activity.objects.visible_to(dalian).values_list("organization__city_code", flat=True)) == {"210200"}
    # idempotent
    before = (Activity.objects.count(), ActivityPhoto.objects.count(), VolunteerRecord.objects.count())
    demo.seed(ctx)
    assert (Activity.objects.count(), ActivityPhoto.objects.count(), VolunteerRecord.objects.count()) == before
