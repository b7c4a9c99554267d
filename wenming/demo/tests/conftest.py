"""Fixtures the demo builders' tests borrow from the apps they fill."""

from wenming.activities.tests.conftest import media  # noqa: F401
