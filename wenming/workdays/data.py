"""Official PRC holiday arrangements (国务院办公厅关于部分节假日安排的通知) for the years the platform uses.

Each entry: (name, holiday ranges, make-up working days). Weekend days inside a holiday range are
stored too, so the calendar page lists the whole break.
"""

from __future__ import annotations

from datetime import date, timedelta

# 国办发明电〔2016〕17号
Y2017 = [
    ("元旦", [("2017-01-01", "2017-01-02")], []),
    ("春节", [("2017-01-27", "2017-02-02")], ["2017-01-22", "2017-02-04"]),
    ("清明节", [("2017-04-02", "2017-04-04")], ["2017-04-01"]),
    ("劳动节", [("2017-04-29", "2017-05-01")], []),
    ("端午节", [("2017-05-28", "2017-05-30")], ["2017-05-27"]),
    ("国庆节、中秋节", [("2017-10-01", "2017-10-08")], ["2017-09-30"]),
]
# 国办发明电〔2024〕12号
Y2025 = [
    ("元旦", [("2025-01-01", "2025-01-01")], []),
    ("春节", [("2025-01-28", "2025-02-04")], ["2025-01-26", "2025-02-08"]),
    ("清明节", [("2025-04-04", "2025-04-06")], []),
    ("劳动节", [("2025-05-01", "2025-05-05")], ["2025-04-27"]),
    ("端午节", [("2025-05-31", "2025-06-02")], []),
    ("国庆节、中秋节", [("2025-10-01", "2025-10-08")], ["2025-09-28", "2025-10-11"]),
]
# 国办发明电〔2025〕7号
Y2026 = [
    ("元旦", [("2026-01-01", "2026-01-03")], ["2026-01-04"]),
    ("春节", [("2026-02-15", "2026-02-23")], ["2026-02-14", "2026-02-28"]),
    ("清明节", [("2026-04-04", "2026-04-06")], []),
    ("劳动节", [("2026-05-01", "2026-05-05")], ["2026-05-09"]),
    ("端午节", [("2026-06-19", "2026-06-21")], []),
    ("中秋节", [("2026-09-25", "2026-09-27")], []),
    ("国庆节", [("2026-10-01", "2026-10-07")], ["2026-09-20", "2026-10-10"]),
]
OFFICIAL = {2017: Y2017, 2025: Y2025, 2026: Y2026}


def official_days(year: int) -> list[tuple[date, str, str]]:
    """(date, kind, name) rows for one year."""
    out: list[tuple[date, str, str]] = []
    for name, ranges, makeups in OFFICIAL.get(year, []):
        for start, end in ranges:
            d, last = date.fromisoformat(start), date.fromisoformat(end)
            while d <= last:
                out.append((d, "holiday", name))
                d += timedelta(days=1)
        for m in makeups:
            out.append((date.fromisoformat(m), "makeup_workday", name))
    return out
