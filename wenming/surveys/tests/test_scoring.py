"""Scoring against hand-computed figures (domain §5.2): item = (answer − 1) × 25, dimension = mean of
items, overall = mean of the answered dimensions; skip logic and required questions."""

import pytest
from django.http import QueryDict

from wenming.surveys import scoring
from wenming.surveys.services import frozen_questionnaire

ANSWERS = {
    # 受理 5,4,4,3 → 100, 75, 75, 50 → 75.0
    "acc1": 5, "acc2": 4, "acc3": 4, "acc4": 3,
    # 揽收 5,5,5,5 → 100.0
    "pic1": 5, "pic2": 5, "pic3": 5, "pic4": 5,
    # 投递 3,4 → 50, 75 → 62.5
    "del1": 3, "del2": 4,
    # 售后 unanswered (not required) → no dimension score
    # 信息 2,5 → 25, 100 → 62.5
    "inf1": 2, "inf2": 5,
    "problem": "没有",
}  # fmt: skip


def _form(d: dict) -> QueryDict:
    q = QueryDict(mutable=True)
    for k, v in d.items():
        if isinstance(v, list):
            q.setlist(f"q_{k}", [str(x) for x in v])
        else:
            q[f"q_{k}"] = str(v)
    return q


@pytest.mark.django_db
def test_default_questionnaire_has_the_five_stages_and_sixteen_national_indicators(questionnaire):
    fq = frozen_questionnaire(questionnaire.pk)
    dims = {q.dimension for q in fq.questions if q.is_scored}
    assert dims == {"acceptance", "pickup", "delivery", "after_sales", "information"}
    national = [q for q in fq.questions if q.is_scored and q.dimension != "information"]
    assert len(national) == 14 and {q.indicator for q in national} >= {"客服热线", "上门时限", "投递知情", "发票服务"}


@pytest.mark.django_db
def test_score_matches_the_hand_computed_figures(questionnaire):
    fq = frozen_questionnaire(questionnaire.pk)
    answers = scoring.clean(fq.questions, _form(ANSWERS))
    s = scoring.score(fq.questions, answers)
    assert s == {
        "acceptance": 750,
        "pickup": 1000,
        "delivery": 625,
        "after_sales": None,
        "information": 625,
        "score": 750,  # (75 + 100 + 62.5 + 62.5) / 4
    }


def test_ten_point_scale_and_half_up_rounding():
    q = scoring.Q("x", "rating10", "t", True, "delivery", "", (), "", ())
    assert scoring.score([q], {"x": 8})["score"] == 778  # (8 − 1) × 100 / 9 = 77.78
    assert scoring.score([q], {"x": 1})["score"] == 0
    assert scoring.score([q], {"x": 10})["score"] == 1000
    h = scoring.Q("y", "rating5", "t", True, "pickup", "", (), "", ())
    # 77.777… and 100 → 88.888… → 888.9 tenths → 889
    assert scoring.score([q, h], {"x": 8, "y": 5})["score"] == 889


@pytest.mark.django_db
def test_required_questions_and_range_are_enforced(questionnaire):
    fq = frozen_questionnaire(questionnaire.pk)
    bad = dict(ANSWERS, acc1=6)
    del bad["pic1"]
    with pytest.raises(scoring.AnswerErrors) as exc:
        scoring.clean(fq.questions, _form(bad))
    assert set(exc.value.errors) == {"acc1", "pic1"}
    assert "必答" in exc.value.errors["pic1"]


@pytest.mark.django_db
def test_skip_logic_hides_and_shows_the_follow_up_question(questionnaire):
    fq = frozen_questionnaire(questionnaire.pk)
    hidden = scoring.clean(fq.questions, _form(dict(ANSWERS, problem_kind=["延误"])))
    assert "problem_kind" not in hidden  # 没有 → the follow-up question is not asked, its answer dropped
    shown = scoring.clean(fq.questions, _form(dict(ANSWERS, problem="有", problem_kind=["延误", "损毁"])))
    assert shown["problem_kind"] == ["延误", "损毁"]
    with pytest.raises(scoring.AnswerErrors):
        scoring.clean(fq.questions, _form(dict(ANSWERS, problem="有", problem_kind=["不存在的选项"])))


def _fraction_score(questions, answers):
    """Domain §5.2 spelled out with exact fractions: the reference the integer arithmetic must match
    (written here from the domain's formula, sharing nothing with the code under test)."""
    import math
    from fractions import Fraction

    from wenming.surveys.choices import DIMENSIONS

    def item(kind, value):
        return Fraction((value - 1) * 100, 9) if kind == "rating10" else Fraction((value - 1) * 25)

    def tenths(x):
        return math.floor(x * 10 + Fraction(1, 2))

    items = {d: [] for d in DIMENSIONS}
    for q in questions:
        if q.is_scored and q.key in answers and scoring.is_shown(q, answers):
            items[q.dimension].append(item(q.kind, int(answers[q.key])))
    means = {d: sum(v, Fraction(0)) / len(v) for d, v in items.items() if v}
    out = {d: (tenths(means[d]) if d in means else None) for d in DIMENSIONS}
    out["score"] = tenths(sum(means.values(), Fraction(0)) / len(means)) if means else None
    return out


def test_integer_scores_equal_the_exact_fractions_for_mixed_scales_and_gaps():
    import random

    from wenming.surveys.choices import DIMENSIONS

    rng = random.Random(13)
    for _ in range(3000):
        questions, answers = [], {}
        for i in range(rng.randint(0, 14)):
            kind = rng.choice(["rating5", "rating10"])
            q = scoring.Q(f"k{i}", kind, "t", False, rng.choice([*DIMENSIONS, ""]), "", (), "", ())
            questions.append(q)
            if rng.random() < 0.8:
                answers[q.key] = rng.randint(1, q.scale)
        assert scoring.score(questions, answers) == _fraction_score(questions, answers)
