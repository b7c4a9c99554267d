"""The data-scope contract every organisation-owned model's pages must honour (engineering.md §5).

Subclass ``ScopedModelContract`` in a test module (class name starting with ``Test``) and fill in::

    class TestOutletScope(ScopedModelContract):
        model = Outlet
        list_url_name = "organizations:outlet-list"
        detail_url_name = "organizations:detail"

        def make_in(self, city):            # city: the Shenyang or Dalian city bureau of ``org_tree``
            ...create one row somewhere under ``city`` and return it...

Optional: ``search_param`` (default ``"q"``; ``None`` to skip), ``export_param`` (default ``"export"``;
``None`` when the list has no export), ``api_list_url_name`` / ``api_detail_url_name``, ``list_params``, ``label(obj)``
(the text that identifies a row on a page: by default ``str(obj)``; make it unique), ``detail_url(obj)``
and ``selector(user)`` (the list's selector; default ``model.objects.visible_to(user)``).

Each subclass registers its model in ``CONTRACT_MODELS`` when its module is imported; a meta-test
(``wenming/organizations/tests/test_scope_contract_coverage.py``) fails for any model from
``org_owned_models()`` that has no contract and is not in ``CONTRACT_EXEMPT`` (here, or a test
module's own ``CONTRACT_EXEMPT`` dict) with a reason.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from django.urls import reverse

from wenming.organizations.scoping import is_in_scope

#: model labels ("app_label.Model") that have a contract subclass somewhere in the test suite
CONTRACT_MODELS: set[str] = set()

#: model labels that point at an organisation but have no list/detail pages of their own (with the reason)
CONTRACT_EXEMPT: dict[str, str] = {
    "organizations.OrgMove": "调整记录只在机构详情页显示，随机构的数据范围（由 Organization 契约覆盖）",
    "organizations.RoleAssignment": "角色授权只在机构详情页向有 org.manage/role.manage 的用户显示；授权管理页归安全管理员",
    "organizations.MassOrganisation": "群团组织是机构树节点的附加属性，页面即机构详情页（由 Organization 契约覆盖）",
}

PERSONAS_SEEING_BOTH = ("province_admin",)


class ScopedModelContract:
    """Mix-in of tests: Shenyang sees Shenyang only, Dalian is a 404, the province sees both."""

    model: ClassVar[Any] = None
    list_url_name: ClassVar[str] = ""
    detail_url_name: ClassVar[str] = ""
    search_param: ClassVar[str | None] = "q"
    export_param: ClassVar[str | None] = "export"
    api_list_url_name: ClassVar[str | None] = None
    api_detail_url_name: ClassVar[str | None] = None
    list_params: ClassVar[dict[str, str]] = {}  # always sent to the list page (e.g. a search-as-list)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.model is not None:
            CONTRACT_MODELS.add(cls.model._meta.label)
        # Parts a page does not have are not collected at all (rather than passing vacuously).
        if cls.search_param is None:
            cls.test_search_for_out_of_scope_row_finds_nothing = None
        if cls.export_param is None:
            cls.test_export_holds_no_out_of_scope_row = None
        if not cls.api_list_url_name:
            cls.test_api_is_scoped = None

    # --- hooks ----------------------------------------------------------------------------------
    def make_in(self, city: Any) -> Any:
        raise NotImplementedError

    def label(self, obj: Any) -> str:
        return str(obj)

    def detail_url(self, obj: Any) -> str:
        return reverse(self.detail_url_name, args=[obj.pk])

    def list_url(self) -> str:
        return reverse(self.list_url_name)

    def selector(self, user: Any) -> Any:
        return self.model.objects.visible_to(user)

    # --- fixtures ---------------------------------------------------------------------------------
    @pytest.fixture
    def scoped_rows(self, personas: Any, org_tree: Any) -> SimpleNamespace:
        return SimpleNamespace(shenyang=self.make_in(org_tree.shenyang), dalian=self.make_in(org_tree.dalian))

    def _page(self, client: Any, user: Any, url: str, params: dict | None = None) -> tuple[int, str]:
        client.force_login(user)
        if url == self.list_url():
            params = {**self.list_params, **(params or {})}
        resp = client.get(url, params or {})
        if getattr(resp, "streaming", False):
            body = b"".join(resp.streaming_content).decode("utf-8-sig")
        else:
            body = resp.content.decode()
        return resp.status_code, body

    # --- the contract -----------------------------------------------------------------------------
    def test_contract_rows_have_distinct_labels(self, scoped_rows: Any) -> None:
        a, b = self.label(scoped_rows.shenyang), self.label(scoped_rows.dalian)
        assert a and b and a != b and a not in b and b not in a

    def test_list_shows_own_subtree_only(self, client: Any, personas: Any, scoped_rows: Any) -> None:
        status, body = self._page(client, personas.shenyang_admin, self.list_url())
        assert status == 200
        assert self.label(scoped_rows.shenyang) in body
        assert self.label(scoped_rows.dalian) not in body

    def test_out_of_scope_detail_is_404(self, client: Any, personas: Any, scoped_rows: Any) -> None:
        status, _ = self._page(client, personas.shenyang_admin, self.detail_url(scoped_rows.dalian))
        assert status == 404
        status, body = self._page(client, personas.shenyang_admin, self.detail_url(scoped_rows.shenyang))
        assert status == 200 and self.label(scoped_rows.shenyang) in body

    def test_search_for_out_of_scope_row_finds_nothing(self, client: Any, personas: Any, scoped_rows: Any) -> None:
        from django.utils.html import escape

        term = {self.search_param: self.search_term(scoped_rows.dalian)}
        echo = f'value="{escape(term[self.search_param])}"'  # the query form keeps what was typed
        _, body = self._page(client, personas.shenyang_admin, self.list_url(), term)
        assert self.label(scoped_rows.dalian) not in body.replace(echo, "")
        _, body = self._page(client, personas.province_admin, self.list_url(), term)
        assert self.label(scoped_rows.dalian) in body.replace(echo, "")  # the same search finds it for the province

    def search_term(self, obj: Any) -> str:
        return self.label(obj)

    def test_export_holds_no_out_of_scope_row(self, client: Any, personas: Any, scoped_rows: Any) -> None:
        status, body = self._page(client, personas.shenyang_admin, self.list_url(), {self.export_param: "csv"})
        assert status == 200
        assert self.label(scoped_rows.shenyang) in body
        assert self.label(scoped_rows.dalian) not in body

    def test_province_admin_sees_both(self, client: Any, personas: Any, scoped_rows: Any) -> None:
        for who in PERSONAS_SEEING_BOTH:
            status, body = self._page(client, getattr(personas, who), self.list_url())
            assert status == 200
            assert self.label(scoped_rows.shenyang) in body and self.label(scoped_rows.dalian) in body
            status, _ = self._page(client, getattr(personas, who), self.detail_url(scoped_rows.dalian))
            assert status == 200

    def test_anonymous_is_sent_to_login(self, client: Any, scoped_rows: Any) -> None:
        client.logout()
        for url in (self.list_url(), self.detail_url(scoped_rows.shenyang)):
            resp = client.get(url)
            assert resp.status_code == 302
            assert reverse("accounts:login") in resp["Location"]

    def test_user_without_roles_sees_nothing(self, client: Any, personas: Any, scoped_rows: Any) -> None:
        status, body = self._page(client, personas.nobody, self.list_url())
        assert status in (200, 403)
        assert self.label(scoped_rows.shenyang) not in body and self.label(scoped_rows.dalian) not in body
        status, _ = self._page(client, personas.nobody, self.detail_url(scoped_rows.shenyang))
        assert status in (403, 404)

    def test_selector_agrees_with_is_in_scope(self, personas: Any, scoped_rows: Any) -> None:
        for user in vars(personas).values():
            visible = set(
                self.selector(user)
                .filter(pk__in=[r.pk for r in vars(scoped_rows).values()])
                .values_list("pk", flat=True)
            )
            for row in vars(scoped_rows).values():
                assert (row.pk in visible) is is_in_scope(user, row), (user.username, self.label(row))

    def test_api_is_scoped(self, client: Any, personas: Any, scoped_rows: Any) -> None:
        status, body = self._page(client, personas.shenyang_admin, reverse(self.api_list_url_name))
        assert status == 200
        assert self.label(scoped_rows.dalian) not in body
        if self.api_detail_url_name:
            status, _ = self._page(
                client, personas.shenyang_admin, reverse(self.api_detail_url_name, args=[scoped_rows.dalian.pk])
            )
            assert status == 404
