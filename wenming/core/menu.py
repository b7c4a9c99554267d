"""The staff menu's registry: each app declares its entries in ``AppConfig.ready()``.

Only data lives here, so that every app can register whatever its layer; the workbench builds the menu
for a user from these entries (``wenming.workbench.menu.menu_for``), which is where actions are checked.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MenuEntry:
    # group and label are Chinese msgids, marked with gettext_noop so that makemessages finds them;
    # menu_for translates them for the request's language.
    group: str
    label: str
    url_name: str
    action: str | None  # None: every signed-in staff user
    order: int = 100


_entries: list[MenuEntry] = []


def register_menu(group: str, label: str, url_name: str, action: str | None = None, order: int = 100) -> None:
    entry = MenuEntry(group, label, url_name, action, order)
    if entry not in _entries:
        _entries.append(entry)


def menu_entries() -> list[MenuEntry]:
    """The registered entries, in their declared order."""
    return sorted(_entries, key=lambda e: e.order)
