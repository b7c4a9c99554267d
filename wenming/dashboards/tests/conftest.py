"""The activities tests' fixtures (types, media, a ready activity) serve the dashboards' counters too."""

from wenming.activities.tests.conftest import make_activity, media, types  # noqa: F401
