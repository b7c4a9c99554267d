"""All-or-nothing imports of outlets and couriers.

Upload: safety checks on the raw bytes (``wenming.core.uploads``), then read (``spreadsheets``), parse (pure
``parsers``) and validate against the database and the user's import scope. The bytes are kept on the
batch only while it waits for the user's confirmation (at most one hour). Commit re-validates
everything inside one transaction and writes every row or none.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from wenming.accounts.roles import Action
from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core import crypto, pii
from wenming.core.errors import ApplicationError
from wenming.core.tasks import task
from wenming.core.uploads import UploadRejected, check_spreadsheet
from wenming.organizations import divisions
from wenming.organizations.choices import OrgKind, OutletStatus
from wenming.organizations.models import Brand, Enterprise, Organization, Outlet
from wenming.organizations.scoping import has_action_anywhere
from wenming.organizations.services import lock_tree, org_create
from wenming.people.models import Courier

from . import parsers
from .models import ImportBatch, ImportKind, ImportStatus
from .parsers import CourierRow, OutletRow
from .registry import ImportSpec, get_import
from .spreadsheets import SheetError, columns_of, read_rows

PREVIEW_ROWS = 20
MAX_STORED_ERRORS = 5000
NOT_FOUND_OUTLET = "找不到该网点或无权限"
NOT_FOUND_ENTERPRISE = "找不到该企业或无权限"

PREVIEW_HEADERS = {
    ImportKind.OUTLETS: [
        "行号",
        "网点名称",
        "所属企业",
        "品牌",
        "网点类型",
        "区县代码",
        "城乡",
        "地址",
        "开办日期",
        "状态",
    ],
    ImportKind.COURIERS: [
        "行号",
        "姓名",
        "性别",
        "身份证号",
        "手机号",
        "所属网点",
        "从事收投工作时间",
        "劳动合同",
        "中共党员",
        "共青团员",
        "工会会员",
        "岗位",
    ],
}


def preview_headers(kind: str) -> list[str]:
    spec = get_import(kind)
    return list(spec.preview_headers) if spec else PREVIEW_HEADERS[kind]


def kind_available(kind: str, user: Any) -> bool:
    """A built-in kind, or a registered one whose action the user holds somewhere."""
    if kind in PREVIEW_HEADERS:
        return True
    spec = get_import(kind)
    return spec is not None and has_action_anywhere(user, spec.action)


def _key(value: str) -> str:
    """Loose matching key for names and codes: NFKC, no white space, case-folded."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).casefold()


@dataclass
class Validation:
    """The outcome of reading and checking one file for one user, at one moment."""

    total: int = 0
    skipped: int = 0
    ready: list[tuple[int, Any]] = field(default_factory=list)  # (row, what to write)
    errors: list[dict[str, Any]] = field(default_factory=list)
    preview: list[list[Any]] = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return len({e["row"] for e in self.errors if e.get("row")})

    def add(self, row: int | None, column: str, message: str) -> None:
        self.errors.append({"row": row, "column": column, "message": message})


# --- resolution of references within the user's import scope ------------------------------------
@dataclass(frozen=True)
class _Ref:
    pk: int
    name: str
    extra: Any = None


def _index(items: Iterable[tuple[Iterable[str], _Ref]]) -> dict[str, list[_Ref]]:
    out: dict[str, list[_Ref]] = defaultdict(list)
    for keys, ref in items:
        for k in {_key(k) for k in keys if k}:
            out[k].append(ref)
    return out


def _enterprise_index(user: Any) -> dict[str, list[_Ref]]:
    rows = (
        Enterprise.objects.visible_to(user, Action.IMPORT)
        .filter(organization__is_active=True)
        .values_list(
            "organization_id", "organization__name", "organization__code", "licence_no", "organization__city_code"
        )
    )
    return _index(((name, code, licence), _Ref(pk, name, city)) for pk, name, code, licence, city in rows)


def _outlet_index(user: Any) -> dict[str, list[_Ref]]:
    rows = (
        Outlet.objects.visible_to(user, Action.IMPORT)
        .filter(organization__is_active=True)
        .values_list("organization_id", "organization__name", "organization__parent__name", "status")
    )
    return _index(((name, f"{parent}/{name}"), _Ref(pk, name, status)) for pk, name, parent, status in rows)


def _brand_index() -> dict[str, list[_Ref]]:
    return _index(((b.name, b.code), _Ref(b.pk, b.name)) for b in Brand.objects.all())


# --- validation ----------------------------------------------------------------------------------
def validate_file(*, kind: str, data: bytes, user: Any, today: date | None = None) -> Validation:
    """Safety checks, read, parse and check every row. Raises ``UploadRejected`` or ``SheetError``."""
    check_spreadsheet(data)
    sheet = read_rows(data, kind, max_rows=settings.WENMING_IMPORT_MAX_ROWS)
    today = today or timezone.localdate()
    v = Validation(total=len(sheet.rows), skipped=sheet.skipped)
    if not sheet.rows:
        v.add(None, "", "文件中没有可导入的数据行")
        return v
    spec = get_import(kind)
    if spec is not None:
        spec.validate(sheet.rows, user, today, v)
    elif kind == ImportKind.OUTLETS:
        _validate_outlets(sheet.rows, user, today, v)
    else:
        _validate_couriers(sheet.rows, user, today, v)
    order = {c.label: i for i, c in enumerate(columns_of(kind))}
    v.errors.sort(key=lambda e: (e["row"] or 0, order.get(e["column"], 99)))
    return v


@dataclass(frozen=True)
class _Row:
    """One data row after parsing: the clean value object, or the raw cells and the bad columns."""

    row_no: int
    cells: dict[str, Any]
    clean: Any = None
    bad: frozenset[str] = frozenset()

    def usable(self, column: str) -> bool:
        return column not in self.bad


def _parse_all(rows, parse, today, v: Validation) -> list[_Row]:
    out = []
    for row_no, cells in rows:
        result = parse(cells, today=today)
        if isinstance(result, list):
            for column, message in result:
                v.add(row_no, column, message)
            out.append(_Row(row_no, cells, None, frozenset(c for c, _ in result)))
        else:
            out.append(_Row(row_no, cells, result))
    return out


def _single(refs: list[_Ref] | None, not_found: str, ambiguous: str) -> tuple[_Ref | None, str]:
    if not refs:
        return None, not_found
    unique = {r.pk: r for r in refs}
    if len(unique) > 1:
        return None, ambiguous
    return next(iter(unique.values())), ""


def _raw(cells: dict[str, Any], key: str) -> str:
    return parsers.cell_text(cells.get(key))


def _validate_outlets(rows, user, today, v: Validation) -> None:
    """Every row is checked as far as its cells allow, so that one pass reports every bad cell."""
    parsed = _parse_all(rows, parsers.parse_outlet_row, today, v)
    enterprises, brands = _enterprise_index(user), _brand_index()
    candidates = []
    for r in parsed:
        ok = r.clean is not None
        ent = brand = None
        if r.usable("所属企业"):
            ent, msg = _single(
                enterprises.get(_key(_raw(r.cells, "enterprise"))),
                NOT_FOUND_ENTERPRISE,
                "有多个同名企业，请填写统一社会信用代码",
            )
            if ent is None:
                v.add(r.row_no, "所属企业", msg)
                ok = False
        if r.usable("品牌"):
            brand, msg = _single(brands.get(_key(_raw(r.cells, "brand"))), "找不到该品牌", "品牌不唯一，请填写品牌代码")
            if brand is None:
                v.add(r.row_no, "品牌", msg)
                ok = False
        if r.usable("区县代码"):
            county = divisions.division(_raw(r.cells, "county_code"))
            if county is None or county.level != "county":
                v.add(r.row_no, "区县代码", "不是有效的辽宁省县级行政区划代码")
                ok = False
            elif ent is not None and ent.extra and county.parent_code != ent.extra:
                v.add(r.row_no, "区县代码", "不在所属企业所在地市的范围内")
                ok = False
        if ent is not None and r.usable("网点名称"):
            candidates.append((r, ent, brand, ok))
    # duplicates: the same name under the same enterprise, in the file and in the database
    existing = {
        (pk, _key(name))
        for pk, name in Organization.objects.filter(
            kind=OrgKind.OUTLET, parent_id__in={e.pk for _, e, _, _ in candidates}
        ).values_list("parent_id", "name")
    }
    seen: dict[tuple[int, str], int] = {}
    for r, ent, brand, ok in candidates:
        k = (ent.pk, _key(_raw(r.cells, "name")))
        if k in seen:
            v.add(r.row_no, "网点名称", f"与第 {seen[k]} 行重复（同一企业下网点名称不能相同）")
            continue
        seen[k] = r.row_no
        if k in existing:
            v.add(r.row_no, "网点名称", "该企业下已有同名网点")
            continue
        if not ok:
            continue
        row: OutletRow = r.clean
        v.ready.append((r.row_no, (row, ent, brand)))
        if len(v.preview) < PREVIEW_ROWS:
            f = parsers.format_outlet_row(row)
            v.preview.append(
                [
                    r.row_no,
                    row.name,
                    ent.name,
                    brand.name,
                    f["outlet_type"],
                    row.county_code,
                    f["is_rural"],
                    row.address,
                    f["opened_on"] or "--",
                    f["status"],
                ]
            )


def _validate_couriers(rows, user, today, v: Validation) -> None:
    """Every row is checked as far as its cells allow, so that one pass reports every bad cell."""
    parsed = _parse_all(rows, parsers.parse_courier_row, today, v)
    outlets = _outlet_index(user)
    candidates = []
    for r in parsed:
        ok = r.clean is not None
        outlet = None
        if r.usable("所属网点"):
            outlet, msg = _single(
                outlets.get(_key(_raw(r.cells, "outlet"))),
                NOT_FOUND_OUTLET,
                "有多个同名网点，请填写“企业名称/网点名称”",
            )
            if outlet is None:
                v.add(r.row_no, "所属网点", msg)
                ok = False
            elif outlet.extra == OutletStatus.CLOSED:
                v.add(r.row_no, "所属网点", "该网点已撤销，不能导入人员")
                ok = False
        if r.usable("身份证号"):
            id_number = r.clean.id_number if r.clean else parsers.parse_id_number(r.cells.get("id_number"))
            candidates.append((r, outlet, crypto.blind_index(id_number, "id_number"), ok))
    indexes = [idx for _, _, idx, _ in candidates]
    existing: set[str] = set()
    for i in range(0, len(indexes), 500):
        existing.update(
            Courier.objects.filter(id_number_index__in=indexes[i : i + 500]).values_list("id_number_index", flat=True)
        )
    seen: dict[str, int] = {}
    for r, outlet, idx, ok in candidates:
        if idx in seen:
            v.add(r.row_no, "身份证号", f"与第 {seen[idx]} 行身份证号重复")
            continue
        seen[idx] = r.row_no
        if idx in existing:
            v.add(r.row_no, "身份证号", "该身份证号已登记，不能重复导入")
            continue
        if not ok:
            continue
        row: CourierRow = r.clean
        v.ready.append((r.row_no, (row, outlet)))
        if len(v.preview) < PREVIEW_ROWS:
            f = parsers.format_courier_row(row)
            v.preview.append(
                [
                    r.row_no,
                    pii.mask_name(row.name),
                    f["gender"],
                    pii.mask_id_number(row.id_number),
                    pii.mask_phone(row.phone),
                    outlet.name,
                    f["started_on"],
                    f["has_labour_contract"],
                    f["is_party_member"],
                    f["is_league_member"],
                    f["is_union_member"],
                    f["job"],
                ]
            )


# --- services ------------------------------------------------------------------------------------
def _require_import(user: Any, kind: str | None = None) -> ImportSpec | None:
    if not has_action_anywhere(user, Action.IMPORT):
        raise ApplicationError(gettext_lazy("您没有数据导入权限"), code="forbidden")
    spec = get_import(kind) if kind else None
    if kind and kind not in PREVIEW_HEADERS and (spec is None or not has_action_anywhere(user, spec.action)):
        raise ApplicationError(gettext_lazy("您没有该类数据的导入权限"), code="forbidden")
    return spec


def _store_result(batch: ImportBatch, v: Validation) -> None:
    batch.total_rows, batch.skipped_rows = v.total, v.skipped
    batch.error_count = len(v.errors)
    batch.errors = v.errors[:MAX_STORED_ERRORS]
    batch.error_rows = v.error_rows
    batch.valid_rows = len(v.ready)  # rows that passed every check (all of them when READY)
    batch.preview = v.preview


@transaction.atomic
def batch_upload(*, kind: str, filename: str, data: bytes, by: Any, today: date | None = None) -> ImportBatch:
    """Check and validate an upload. READY keeps the bytes for the commit; anything else keeps none."""
    if kind not in ImportKind.values:
        raise ApplicationError(gettext_lazy("不支持的导入类型"))
    _require_import(by, kind)
    imports_purge_expired()
    batch = ImportBatch(
        user=by, kind=kind, filename=filename[:200], size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )
    try:
        v = validate_file(kind=kind, data=data, user=by, today=today)
    except (UploadRejected, SheetError) as exc:
        batch.status = ImportStatus.REFUSED
        batch.errors = [{"row": None, "column": "", "message": exc.message}]
        batch.error_count = 1
        batch.closed_at = timezone.now()
        batch.save()
        audit_record(
            AuditAction.IMPORT,
            user=by,
            obj=batch,
            outcome="refused",
            detail={"kind": kind, "stage": exc.stage, "bytes": len(data)},
        )
        return batch
    _store_result(batch, v)
    if v.errors:
        batch.status = ImportStatus.INVALID
        batch.closed_at = timezone.now()
    else:
        batch.status = ImportStatus.READY
        batch.content, batch.has_file = data, True
    batch.save()
    return batch


class _Rejected(Exception):
    def __init__(self, validation: Validation) -> None:
        self.validation = validation


def batch_commit(*, batch: ImportBatch, by: Any, today: date | None = None) -> ImportBatch:
    """Re-validate and write every row in one transaction, or nothing. Returns the updated batch."""
    _require_import(by)
    imports_purge_expired()
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk, user=by)
            spec = _require_import(by, locked.kind)
            if not locked.can_commit:
                raise ApplicationError(f"该批次当前状态为“{locked.get_status_display()}”，不能导入")
            if locked.kind == ImportKind.OUTLETS:
                lock_tree()
            data = bytes(locked.content)
            if hashlib.sha256(data).hexdigest() != locked.sha256:
                raise ApplicationError(gettext_lazy("文件校验失败，请重新上传"))
            try:
                v = validate_file(kind=locked.kind, data=data, user=by, today=today)
            except (UploadRejected, SheetError) as exc:
                bad = Validation()
                bad.add(None, "", exc.message)
                raise _Rejected(bad)
            if v.errors:
                raise _Rejected(v)
            if spec is not None:
                written = spec.write(v.ready, by)
            elif locked.kind == ImportKind.OUTLETS:
                written = _write_outlets(v, by)
            else:
                written = _write_couriers(v)
            locked.status = ImportStatus.COMMITTED
            locked.written_rows = written
            locked.valid_rows = written
            locked.committed_at = locked.closed_at = timezone.now()
            locked.content, locked.has_file = None, False
            locked.save()
            audit_record(
                AuditAction.IMPORT,
                user=by,
                obj=locked,
                detail={"kind": locked.kind, "rows": written, "skipped": locked.skipped_rows, "sha256": locked.sha256},
            )
            return locked
    except _Rejected as rej:
        return _reject(batch, rej.validation)
    except IntegrityError:
        v = Validation()
        v.add(None, "", "写入时发现重复数据（可能有他人同时导入了相同记录），未写入任何数据，请重新上传")
        return _reject(batch, v)


@transaction.atomic
def _reject(batch: ImportBatch, v: Validation) -> ImportBatch:
    batch = ImportBatch.objects.get(pk=batch.pk)
    _store_result(batch, v)
    batch.error_count = max(batch.error_count, 1)
    batch.status = ImportStatus.INVALID
    batch.content, batch.has_file = None, False
    batch.closed_at = timezone.now()
    batch.save()
    return batch


def _write_couriers(v: Validation) -> int:
    objs = []
    for _row_no, (row, outlet) in v.ready:
        c = Courier(
            outlet_id=outlet.pk,
            name=row.name,
            gender=row.gender,
            birth_date=row.birth_date,
            started_delivery_on=row.started_on,
            has_labour_contract=row.has_labour_contract,
            is_party_member=row.is_party_member,
            is_league_member=row.is_league_member,
            is_union_member=row.is_union_member,
            job=row.job,
        )
        c.set_id_number(row.id_number)
        c.set_phone(row.phone)
        objs.append(c)
    Courier.objects.bulk_create(objs, batch_size=500)
    return len(objs)


def _write_outlets(v: Validation, by: Any) -> int:
    parents = Organization.objects.in_bulk({ent.pk for _, (_, ent, _) in v.ready})
    n = 0
    for _row_no, (row, ent, brand) in v.ready:
        org = org_create(
            parent=parents[ent.pk], kind=OrgKind.OUTLET, name=row.name, address=row.address, by=by, audit=False
        )
        Outlet.objects.create(
            organization=org,
            brand_id=brand.pk,
            outlet_type=row.outlet_type,
            county_code=row.county_code,
            is_rural=row.is_rural,
            opened_on=row.opened_on,
            status=row.status,
        )
        n += 1
    return n


@transaction.atomic
def batch_cancel(*, batch: ImportBatch, by: Any) -> ImportBatch:
    """Drop a batch that waits for confirmation; its file is deleted at once."""
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk, user=by)
    if locked.status != ImportStatus.READY:
        raise ApplicationError(f"该批次当前状态为“{locked.get_status_display()}”，不能取消")
    locked.status = ImportStatus.CANCELLED
    locked.content, locked.has_file = None, False
    locked.closed_at = timezone.now()
    locked.save()
    return locked


def imports_purge_expired() -> int:
    """Files of batches not committed within an hour are deleted; the batch becomes EXPIRED."""
    now = timezone.now()
    return ImportBatch.objects.filter(has_file=True, expires_at__lte=now).update(
        content=None, has_file=False, status=ImportStatus.EXPIRED, closed_at=now
    )


@task()
def purge_expired_imports() -> int:
    return imports_purge_expired()
