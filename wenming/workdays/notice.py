"""Reading the State Council's holiday notice (国务院办公厅关于部分节假日安排的通知) typed in as a short table.

One line per holiday::

    元旦 2027-01-01 至 2027-01-03；调休上班 2027-01-04
    春节 2月6日至2月13日；调休上班 2月14日、2月20日
    清明节 2027-04-05

A line is the holiday's name, its first day, optionally 至/到/~ and its last day, and optionally
“调休上班” (or “上班”) followed by the make-up working days. Dates may be written 2027-01-04,
2027/1/4, 2027年1月4日 or 1月4日 (the year of the notice is assumed). Nothing is saved here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext_lazy

from wenming.core.errors import ApplicationError

_DATE = re.compile(r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_WORK = re.compile(r"调休上班|上班")
_NAME_TRIM = " \t:：,，;；、"
MAX_BREAK_DAYS = 15  # the longest break (春节 / 国庆) is 8–9 days
_WEEKDAYS = "一二三四五六日"


@dataclass
class NoticeLine:
    line_no: int
    name: str
    start: date
    end: date
    makeups: list[date] = field(default_factory=list)

    @property
    def length(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def makeup_labels(self) -> list[str]:
        return [f"{d:%Y-%m-%d}（星期{_WEEKDAYS[d.weekday()]}）" for d in self.makeups]

    def days(self) -> list[tuple[date, str, str]]:
        """(date, kind, name) rows, as ``data.official_days`` gives them."""
        out = [(self.start + timedelta(days=i), "holiday", self.name) for i in range(self.length)]
        return out + [(d, "makeup_workday", self.name) for d in self.makeups]


def _dates(text: str, year: int, line_no: int) -> list[date]:
    out = []
    for m in _DATE.finditer(text):
        y = int(m.group(1)) if m.group(1) else year
        try:
            out.append(date(y, int(m.group(2)), int(m.group(3))))
        except ValueError:
            raise ApplicationError(f"第{line_no}行：日期“{m.group(0).strip()}”不正确", field="text") from None
    return out


def parse_notice(text: str, year: int) -> list[NoticeLine]:
    """The notice's lines, checked; the first problem raises ``ApplicationError`` naming the line."""
    lines: list[NoticeLine] = []
    seen: dict[date, int] = {}
    lo, hi = date(year, 1, 1) - timedelta(days=31), date(year, 12, 31) + timedelta(days=31)
    for line_no, raw in enumerate(text.splitlines(), start=1):
        raw = raw.strip()
        if not raw:
            continue
        first = _DATE.search(raw)
        if first is None:
            raise ApplicationError(
                f"第{line_no}行：没有找到日期（示例：元旦 {year}-01-01 至 {year}-01-03）", field="text"
            )
        name = raw[: first.start()].strip(_NAME_TRIM)
        if not name:
            raise ApplicationError(f"第{line_no}行：缺少节日名称", field="text")
        if len(name) > 40:
            raise ApplicationError(f"第{line_no}行：节日名称最多40个字", field="text")
        rest = raw[first.start() :]
        work = _WORK.search(rest)
        off = _dates(rest[: work.start()] if work else rest, year, line_no)
        makeups = _dates(rest[work.end() :], year, line_no) if work else []
        if work and not makeups:
            raise ApplicationError(f"第{line_no}行：“调休上班”后缺少日期", field="text")
        if len(off) > 2:
            raise ApplicationError(f"第{line_no}行：放假日期请写成“起始日期 至 截止日期”", field="text")
        start, end = off[0], off[-1]
        if end < start:
            raise ApplicationError(f"第{line_no}行：截止日期不能早于起始日期", field="text")
        if (end - start).days + 1 > MAX_BREAK_DAYS:
            raise ApplicationError(f"第{line_no}行：放假不超过{MAX_BREAK_DAYS}天，请核对日期", field="text")
        entry = NoticeLine(line_no, name, start, end, makeups)
        for d, kind, _ in entry.days():
            if not lo <= d <= hi:
                raise ApplicationError(f"第{line_no}行：{d:%Y-%m-%d} 不属于{year}年的安排", field="text")
            if kind == "makeup_workday" and d.weekday() < 5:
                raise ApplicationError(f"第{line_no}行：调休上班日 {d:%Y-%m-%d} 必须是周六或周日", field="text")
            if d in seen:
                raise ApplicationError(
                    f"第{line_no}行：{d:%Y-%m-%d} 已在第{seen[d]}行出现，同一天只能有一种安排", field="text"
                )
            seen[d] = line_no
        lines.append(entry)
    if not lines:
        raise ApplicationError(gettext_lazy("请逐行填写节假日安排"), field="text")
    if not any(d.year == year for entry in lines for d, kind, _ in entry.days() if kind == "holiday"):
        raise ApplicationError(f"没有{year}年的放假日期，请核对年份", field="text")
    return lines
