from types import SimpleNamespace

import pytest


@pytest.fixture
def ns(personas, org_tree):
    return SimpleNamespace(p=personas, t=org_tree)
