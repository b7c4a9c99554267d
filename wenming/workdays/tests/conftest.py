"""The plans task factory, for the deadline tests of dispatches and extensions."""

from wenming.plans.tests.conftest import colleagues, make_task  # noqa: F401  (fixtures)
