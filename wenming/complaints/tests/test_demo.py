"""Demo data of 申诉: a year of cases, seasonal, every state, flagged overdue ones, volumes, scoped."""

from collections import Counter

from wenming.complaints.models import Complaint, ItemVolume
from wenming.demo.builder import seed_core
from wenming.demo.modules import complaints as demo


def test_demo_seed_builds_a_year_of_complaints_and_volumes(db):
    ctx = seed_core(size="tiny", seed=7)
    demo.seed(ctx)
    n = Complaint.objects.count()
    assert n >= demo.COUNT["tiny"]
    states = Counter(Complaint.objects.values_list("status", flat=True))
    assert states["closed"] > n / 2 and states["not_accepted"] > 0
    assert {"received", "forwarded", "replied", "mediation"} <= set(states)
    closed = Complaint.objects.filter(status="closed")
    valid = closed.filter(is_valid=True).count()
    assert 0.05 < valid / closed.count() < 0.4
    assert Complaint.objects.filter(reply_overdue=True).exists()
    assert Complaint.objects.filter(escalated_at__isnull=False).exists()  # flagged by the overdue job
    # open cases for the demo enterprise account, and the city sees its own cases only
    ent_user, dalian = ctx.users["sf_shenyang"], ctx.users["dalian"]
    assert Complaint.objects.visible_to(ent_user).filter(status="forwarded").exists()
    assert set(Complaint.objects.visible_to(dalian).values_list("city_code", flat=True)) == {"210200"}
    # a volume for every enterprise and month; the November peak above the spring months
    assert ItemVolume.objects.count() == len({e.pk for e in ctx.enterprises if ctx.enterprise_brand.get(e.pk)}) * 13
    months = Counter(d.month for d in Complaint.objects.values_list("received_on", flat=True))
    assert months[11] + months[12] > months[4] + months[5]
