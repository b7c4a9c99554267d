"""Registry of integrity checks: every hash chain or sealed hash an app keeps, checked by one call.

Apps register a check in ``AppConfig.ready()``; the restore drill (``core.backup.drill``) runs every
check against the restored database, so a new module's chain is verified without core knowing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class IntegrityCheck:
    name: str  # shown in reports, e.g. "审计日志"
    run: Callable[[str], tuple[int, list[str]]]  # (database alias) -> (items checked, problems)


_CHECKS: dict[str, IntegrityCheck] = {}


def register_integrity_check(key: str, name: str, run: Callable[[str], tuple[int, list[str]]]) -> None:
    _CHECKS[key] = IntegrityCheck(name=name, run=run)


def integrity_checks() -> dict[str, IntegrityCheck]:
    return dict(_CHECKS)
