from wenming.organizations.models import Organization


def test_org_tree_paths_follow_parents(org_tree):
    # given the fixture tree
    sy_outlet = Organization.objects.get(pk=org_tree.shenyang_outlet.pk)
    # then the outlet's path starts with its city bureau's and the province's paths
    assert sy_outlet.path.startswith(org_tree.shenyang.path)
    assert sy_outlet.path.startswith(org_tree.province.path)
    assert not sy_outlet.path.startswith(org_tree.dalian.path)
    assert sy_outlet.city_code == "210100"
    assert sy_outlet.depth == 3
