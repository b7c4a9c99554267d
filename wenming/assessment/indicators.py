"""The indicators of issue 15 as registered metrics, each computed through the owning module's selectors."""

from __future__ import annotations


def register_all() -> None:
    """Called from ``AssessmentConfig.ready``."""
