"""Answers → scores (domain §5.2), without I/O.

Item = (answer − 1) × 25 on the 1–5 scale, (answer − 1) × 100 / 9 on the 1–10 scale; a dimension is the
mean of its answered items; the overall score is the mean of the answered dimensions. Scores are
returned in tenths of a point (0–1000), rounded half up, computed exactly in integers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .choices import DIMENSIONS, QuestionKind

MAX_TEXT = 500


@dataclass(frozen=True)
class Q:
    """What scoring and validation need of a question (a published questionnaire is cached as these)."""

    key: str
    kind: str
    text: str
    required: bool
    dimension: str
    indicator: str
    options: tuple[str, ...]
    show_if_key: str
    show_if_values: tuple[str, ...]
    help_text: str = ""

    @property
    def scale(self) -> int:
        return 10 if self.kind == QuestionKind.RATING10 else 5

    @property
    def scale_values(self) -> range:
        return range(1, self.scale + 1)

    @property
    def is_scored(self) -> bool:
        return self.kind in (QuestionKind.RATING5, QuestionKind.RATING10) and bool(self.dimension)


def freeze(question: Any) -> Q:
    return Q(
        key=question.key,
        kind=question.kind,
        text=question.text,
        required=question.required,
        dimension=question.dimension,
        indicator=question.indicator,
        options=tuple(question.options or ()),
        show_if_key=question.show_if_key,
        show_if_values=tuple(str(v) for v in (question.show_if_values or ())),
        help_text=question.help_text,
    )


def item_ninths(kind: str, value: int) -> int:
    """One answer's item score in ninths of a point: (v − 1) × 25 points = (v − 1) × 225 ninths on the 1–5
    scale, (v − 1) × 100 / 9 points = (v − 1) × 100 ninths on the 1–10 scale."""
    return (value - 1) * (100 if kind == QuestionKind.RATING10 else 225)


def is_shown(q: Q, answers: Mapping[str, Any]) -> bool:
    """Skip logic: shown unless it depends on an earlier answer that is not one of the listed values."""
    if not q.show_if_key:
        return True
    given = answers.get(q.show_if_key)
    if given is None:
        return False
    values = given if isinstance(given, list) else [given]
    return any(str(v) in q.show_if_values for v in values)


def score(questions: Iterable[Q], answers: Mapping[str, Any]) -> dict[str, int | None]:
    """``{"score": overall, "<dimension>": …}`` in tenths; None where nothing was answered.

    Exact as with fractions, in integers: every item is a whole number of ninths of a point ((v − 1) ×
    225 on the 1–5 scale, (v − 1) × 100 on the 1–10 scale), so a dimension's mean is ``sum / (9 n)``
    and the overall mean of the dimensions has the common denominator ``9 · lcm(n) · dimensions``."""
    sums: dict[str, list[int]] = {}  # dimension → [sum of its items in ninths of a point, items]
    for q in questions:
        if q.is_scored and q.key in answers and is_shown(q, answers):
            acc = sums.setdefault(q.dimension, [0, 0])
            acc[0] += item_ninths(q.kind, int(answers[q.key]))
            acc[1] += 1
    out: dict[str, int | None] = {d: (_tenths(*sums[d], 9) if d in sums else None) for d in DIMENSIONS}
    if sums:
        common = math.lcm(*(n for _s, n in sums.values()))
        total = sum(s * (common // n) for s, n in sums.values())
        out["score"] = _tenths(total, common * len(sums), 9)
    else:
        out["score"] = None
    return out


def _tenths(num: int, den: int, unit: int) -> int:
    """``num / (den · unit)`` points → whole tenths, rounded half up."""
    den *= unit
    return (20 * num + den) // (2 * den)


class AnswerErrors(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("答卷有误")
        self.errors = errors


def clean(questions: Sequence[Q], data: Any) -> dict[str, Any]:
    """Read a submitted form (QueryDict-like: ``get``/``getlist``) into ``{key: value}``; raise
    :class:`AnswerErrors` naming each wrong field. Hidden questions (skip logic) are dropped."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for q in questions:
        if not is_shown(q, answers):
            continue
        name = f"q_{q.key}"
        if q.kind == QuestionKind.MULTIPLE:
            picked = [v for v in data.getlist(name) if v in q.options]
            if len(picked) != len(data.getlist(name)):
                errors[q.key] = _("请从选项中选择")
            elif picked:
                answers[q.key] = list(dict.fromkeys(picked))
        else:
            raw = (data.get(name) or "").strip()
            if raw:
                if q.kind in (QuestionKind.RATING5, QuestionKind.RATING10):
                    if not raw.isdigit() or int(raw) not in q.scale_values:
                        errors[q.key] = _("请选择 1 到 %(n)s 之间的分值") % {"n": q.scale}
                    else:
                        answers[q.key] = int(raw)
                elif q.kind == QuestionKind.SINGLE:
                    if raw not in q.options:
                        errors[q.key] = _("请从选项中选择")
                    else:
                        answers[q.key] = raw
                else:
                    answers[q.key] = raw[:MAX_TEXT]
        if q.required and q.key not in answers and q.key not in errors:
            errors[q.key] = _("此题必答")
    if errors:
        raise AnswerErrors(errors)
    return answers


def comment_of(questions: Sequence[Q], answers: Mapping[str, Any]) -> str:
    """The free-text answers joined: the response's comment (analysed for sentiment and keywords)."""
    texts = [str(answers[q.key]) for q in questions if q.kind == QuestionKind.TEXT and answers.get(q.key)]
    return "\n".join(texts)[:MAX_TEXT]
