import random
from datetime import date
from types import SimpleNamespace

from wenming.demo.modules import plans as demo
from wenming.plans.models import ProgressReport, WorkGoal, WorkPlan, WorkTask
from wenming.plans.selectors import task_light
from wenming.plans.tests.conftest import at


def test_demo_seed_is_idempotent_and_covers_the_plan(personas, org_tree):
    ctx = SimpleNamespace(
        province=org_tree.province,
        cities={"210100": org_tree.shenyang, "210200": org_tree.dalian},
        divisions={"办公室": org_tree.office},
        users={"province": personas.province_admin, "shenyang": personas.shenyang_admin},
        size="tiny",
        rng=random.Random(7),
        today=date(2026, 11, 27),
        summary=[],
    )
    with at(2026, 11, 27):
        demo.seed(ctx)
        counts = (WorkPlan.objects.count(), WorkGoal.objects.count(), WorkTask.objects.count())
        demo.seed(ctx)
        assert (WorkPlan.objects.count(), WorkGoal.objects.count(), WorkTask.objects.count()) == counts
        plan17 = WorkPlan.objects.get(year=2017)
        titles = list(plan17.goals.values_list("title", flat=True))
        assert len(titles) == 9
        assert "着力提升邮政行业社会满意度" in titles and "强化宣传，注重舆论" in titles
        assert WorkPlan.objects.filter(year=2026).exists()
        tasks = list(WorkTask.objects.all())
        assert len(tasks) == 12
        assert any(task_light(t) == "red" for t in tasks)
        assert ProgressReport.objects.exists()


def test_demo_dispatches_keep_the_two_person_rule(db):
    """Who drafted a demo 督办事项 never approved it (督办设置: 审核与起草分离)."""
    from wenming.demo.builder import seed_core
    from wenming.plans.models import WorkTaskEvent

    ctx = seed_core(size="tiny")
    demo.seed(ctx)
    approvals = WorkTaskEvent.objects.filter(kind="approve").select_related("task__dispatch")
    assert approvals.exists()
    assert all(e.by_id != e.task.dispatch.created_by_id for e in approvals)
