from wenming.organizations.permissions_doc import DOC, current_table, render_table


def test_permissions_doc_table_matches_roles():
    # when roles change: python -m wenming.organizations.permissions_doc
    assert current_table(DOC.read_text(encoding="utf-8")) == render_table()
