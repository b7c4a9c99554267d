"""Writes of the surveys app: the questionnaire builder, the public submission, follow-ups.

Keyword-only, ``by=`` the acting user; transitions through ``workflow.perform``.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.errors import ApplicationError
from wenming.core.memo import ProcessMemo
from wenming.organizations.choices import OrgKind, OutletStatus
from wenming.organizations.models import Organization, Outlet
from wenming.workflow import policy
from wenming.workflow.engine import perform, record_event

from . import scoring
from .choices import CHOICE_KINDS, Dimension, QuestionKind, QuestionnaireStatus
from .models import CommentInsight, Question, Questionnaire, SurveyResponse
from .permissions import SurveyAction
from .workflows import FOLLOW_UP_WORKFLOW, QUESTIONNAIRE_WORKFLOW

DEFAULT_FAMILY = "postal-default"
TOKEN_SALT = "surveys.outlet"
DEVICE_COOKIE = "wm_sv"


# --- the default questionnaire (domain §5.1 / §5.2) ---------------------------------------------

DEFAULT_INDICATORS: dict[str, list[tuple[str, str]]] = {
    Dimension.ACCEPTANCE: [
        ("客服热线", "客服热线接通快、答复清楚"),
        ("普通电话", "拨打网点电话能找到人、说得清"),
        ("网络", "网上、手机下单和查询方便"),
        ("网点受理", "网点窗口受理及时、态度好"),
    ],
    Dimension.PICKUP: [
        ("上门时限", "预约上门取件准时"),
        ("揽收员服务", "揽收员着装规范、服务热情"),
        ("封装质量", "包装牢固、封装规范"),
        ("费用公开透明", "收费标准公开、按标准收费"),
    ],
    Dimension.DELIVERY: [
        ("派件员服务", "派件员服务规范、态度好"),
        ("投递知情", "投递前告知、放置驿站或代收点前征得同意"),
    ],
    Dimension.AFTER_SALES: [
        ("问题件处理", "问题件处理及时"),
        ("投诉处理", "投诉有回应、处理结果满意"),
        ("损失赔偿", "丢失损毁按规定赔偿"),
        ("发票服务", "按需开具发票"),
    ],
    Dimension.INFORMATION: [
        ("物流信息", "物流信息及时、准确"),
        ("个人信息保护", "面单信息得到保护，未被泄露"),
    ],
}


def ensure_default_questionnaire(*, organization: Organization | None = None, by: Any = None) -> Questionnaire:
    """The published default postal questionnaire (created once, on the provincial bureau)."""
    existing = Questionnaire.objects.filter(family=DEFAULT_FAMILY, status=QuestionnaireStatus.PUBLISHED).first()
    if existing is not None:
        return existing
    org = organization or Organization.objects.filter(kind=OrgKind.PROVINCIAL_BUREAU).order_by("pk").first()
    if org is None:
        raise ApplicationError(_("尚未建立省局节点"))
    with transaction.atomic():
        q = Questionnaire.objects.create(
            organization=org,
            family=DEFAULT_FAMILY,
            version=1,
            title="快递服务满意度调查",
            intro="请根据您最近一次在本网点寄取快件的体验评分（1 分非常不满意，5 分非常满意）。",
            status=QuestionnaireStatus.PUBLISHED,
            published_at=timezone.now(),
            created_by=by,
        )
        order = 0
        rows = []
        for dim, items in DEFAULT_INDICATORS.items():
            for i, (indicator, text) in enumerate(items, start=1):
                order += 1
                rows.append(
                    Question(
                        questionnaire=q,
                        order=order,
                        key=f"{dim[:3]}{i}",
                        kind=QuestionKind.RATING5,
                        text=text,
                        required=(dim != Dimension.AFTER_SALES),
                        dimension=dim,
                        indicator=indicator,
                    )
                )
        order += 1
        rows.append(
            Question(
                questionnaire=q,
                order=order,
                key="problem",
                kind=QuestionKind.SINGLE,
                text="最近三个月在本网点是否遇到过问题？",
                options=["没有", "有"],
                required=True,
            )
        )
        rows.append(
            Question(
                questionnaire=q,
                order=order + 1,
                key="problem_kind",
                kind=QuestionKind.MULTIPLE,
                text="遇到了哪些问题？（可多选）",
                options=["延误", "丢失短少", "损毁", "态度差", "乱收费", "未按址投递", "其他"],
                show_if_key="problem",
                show_if_values=["有"],
            )
        )
        rows.append(
            Question(
                questionnaire=q,
                order=order + 2,
                key="comment",
                kind=QuestionKind.TEXT,
                text="您的意见和建议",
                help_text="请勿填写姓名、电话、单号等个人信息",
            )
        )
        Question.objects.bulk_create(rows)
        record_event(QUESTIONNAIRE_WORKFLOW, q, "create", by=by)
    return q


# --- the builder ---------------------------------------------------------------------------------


def _require_editable(q: Questionnaire) -> None:
    if not q.is_editable:
        raise ApplicationError(_("已发布的问卷不能修改，请新建版本"))


def questionnaire_create(*, organization: Organization, title: str, intro: str = "", by: Any) -> Questionnaire:
    policy.require(by, SurveyAction.MANAGE, organization)
    family = f"q{timezone.now():%Y%m%d%H%M%S}{secrets.token_hex(2)}"
    with transaction.atomic():
        q = Questionnaire.objects.create(
            organization=organization, family=family, version=1, title=title, intro=intro, created_by=by
        )
        record_event(QUESTIONNAIRE_WORKFLOW, q, "create", by=by)
        audit_record(AuditAction.CREATE, user=by, obj=q)
    return q


def questionnaire_new_version(*, questionnaire_id: int, by: Any) -> Questionnaire:
    """A draft copy of a version (questions included): how a published questionnaire is edited."""
    with transaction.atomic():
        src = Questionnaire.objects.select_for_update().get(pk=questionnaire_id)
        policy.require(by, SurveyAction.MANAGE, src)
        if Questionnaire.objects.filter(family=src.family, status=QuestionnaireStatus.DRAFT).exists():
            raise ApplicationError(_("该问卷已有草稿版本，请先完成或删除草稿"))
        latest = Questionnaire.objects.filter(family=src.family).order_by("-version").first()
        q = Questionnaire.objects.create(
            organization=src.organization,
            family=src.family,
            version=latest.version + 1,
            title=src.title,
            intro=src.intro,
            based_on=src,
            created_by=by,
        )
        Question.objects.bulk_create(
            [
                Question(
                    questionnaire=q,
                    order=x.order,
                    key=x.key,
                    kind=x.kind,
                    text=x.text,
                    help_text=x.help_text,
                    required=x.required,
                    dimension=x.dimension,
                    indicator=x.indicator,
                    options=x.options,
                    show_if_key=x.show_if_key,
                    show_if_values=x.show_if_values,
                )
                for x in src.questions.all()
            ]
        )
        record_event(QUESTIONNAIRE_WORKFLOW, q, "create", by=by, comment=f"v{src.version} → v{q.version}")
        audit_record(AuditAction.CREATE, user=by, obj=q, detail={"based_on": src.pk})
    return q


def questionnaire_update(*, questionnaire_id: int, title: str, intro: str, by: Any) -> Questionnaire:
    with transaction.atomic():
        q = Questionnaire.objects.select_for_update().get(pk=questionnaire_id)
        policy.require(by, SurveyAction.MANAGE, q)
        _require_editable(q)
        q.title, q.intro = title, intro
        q.save(update_fields=["title", "intro", "updated_at"])
        audit_record(AuditAction.UPDATE, user=by, obj=q)
    return q


def _validate_question(q: Questionnaire, data: dict[str, Any], *, exclude_pk: int | None = None) -> None:
    kind = data["kind"]
    options = [o.strip() for o in data.get("options") or [] if o.strip()]
    data["options"] = options
    if kind in CHOICE_KINDS and len(options) < 2:
        raise ApplicationError(_("单选、多选题至少需要两个选项"), field="options")
    if kind not in CHOICE_KINDS:
        data["options"] = []
    if data.get("dimension") and kind not in (QuestionKind.RATING5, QuestionKind.RATING10):
        raise ApplicationError(_("只有评分题可以计入环节得分"), field="dimension")
    others = q.questions.exclude(pk=exclude_pk) if exclude_pk else q.questions.all()
    if others.filter(key=data["key"]).exists():
        raise ApplicationError(_("题号已被使用"), field="key")
    dep = data.get("show_if_key") or ""
    if dep:
        target = others.filter(key=dep).first()
        if target is None:
            raise ApplicationError(_("显示条件引用的题目不存在"), field="show_if_key")
        if target.order >= data.get("order", 10**4):
            raise ApplicationError(_("显示条件只能引用前面的题目"), field="show_if_key")
        values = [v.strip() for v in data.get("show_if_values") or [] if v.strip()]
        if not values:
            raise ApplicationError(_("请填写触发显示的答案"), field="show_if_values")
        allowed = set(target.options) | {str(i) for i in range(1, 11)}
        if any(v not in allowed for v in values):
            raise ApplicationError(_("触发答案须是被引用题目的选项或分值"), field="show_if_values")
        data["show_if_values"] = values
    else:
        data["show_if_values"] = []


QUESTION_FIELDS = ("key", "kind", "text", "help_text", "required", "dimension", "indicator", "options")


def question_add(*, questionnaire_id: int, data: dict[str, Any], by: Any) -> Question:
    with transaction.atomic():
        q = Questionnaire.objects.select_for_update().get(pk=questionnaire_id)
        policy.require(by, SurveyAction.MANAGE, q)
        _require_editable(q)
        last = q.questions.order_by("-order").first()
        data = dict(data, order=(last.order + 1) if last else 1)
        _validate_question(q, data)
        question = Question.objects.create(
            questionnaire=q,
            order=data["order"],
            show_if_key=data.get("show_if_key") or "",
            show_if_values=data["show_if_values"],
            **{k: data.get(k, "") if k != "required" else bool(data.get(k)) for k in QUESTION_FIELDS},
        )
        audit_record(AuditAction.UPDATE, user=by, obj=q, detail={"question_added": question.key})
    return question


def question_delete(*, question_id: int, by: Any) -> None:
    with transaction.atomic():
        question = Question.objects.select_related("questionnaire").get(pk=question_id)
        q = Questionnaire.objects.select_for_update().get(pk=question.questionnaire_id)
        policy.require(by, SurveyAction.MANAGE, q)
        _require_editable(q)
        if q.questions.filter(show_if_key=question.key).exists():
            raise ApplicationError(_("其他题目的显示条件引用了此题，请先修改"))
        question.delete()
        audit_record(AuditAction.UPDATE, user=by, obj=q, detail={"question_removed": question.key})


def questionnaire_publish(*, questionnaire_id: int, by: Any) -> Questionnaire:
    """Freeze a draft; the family's published version is retired in the same transaction."""

    def prepare(q: Questionnaire, t: Any) -> dict[str, Any]:
        questions = list(q.questions.all())
        if not questions:
            raise ApplicationError(_("问卷还没有题目"))
        if not any(x.is_scored for x in questions):
            raise ApplicationError(_("至少需要一道计入环节得分的评分题"))
        for old in Questionnaire.objects.filter(family=q.family, status=QuestionnaireStatus.PUBLISHED):
            perform(QUESTIONNAIRE_WORKFLOW, old, "retire", by=by, comment=f"由 v{q.version} 取代")
        return {"published_at": timezone.now()}

    out = perform(QUESTIONNAIRE_WORKFLOW, questionnaire_id, "publish", by=by, prepare=prepare)
    _forget_questionnaires()
    return out.obj


def questionnaire_retire(*, questionnaire_id: int, by: Any) -> Questionnaire:
    out = perform(QUESTIONNAIRE_WORKFLOW, questionnaire_id, "retire", by=by)
    _forget_questionnaires()
    return out.obj


# --- the public side: signed outlet links, the questionnaire an outlet uses, submission ------------


def outlet_token(outlet_id: int) -> str:
    """The signed part of an outlet's survey URL (printed on its poster; does not expire)."""
    return signing.Signer(salt=TOKEN_SALT, sep=".").sign(str(outlet_id))


def outlet_from_token(token: str) -> int:
    try:
        return int(signing.Signer(salt=TOKEN_SALT, sep=".").unsign(token))
    except (signing.BadSignature, ValueError) as exc:
        raise ApplicationError(_("二维码无效，请扫描网点张贴的最新二维码")) from exc


def new_device_token() -> str:
    return secrets.token_urlsafe(18)


def device_digest(token: str) -> str:
    return salted_hmac("surveys.device", token, algorithm="sha256").hexdigest()[:32]


@dataclass(frozen=True)
class OutletInfo:
    outlet_id: int
    name: str
    address: str
    enterprise_id: int
    enterprise_name: str
    brand_id: int
    city_code: str
    path: str
    open: bool


@dataclass(frozen=True)
class FrozenQuestionnaire:
    id: int
    title: str
    intro: str
    questions: tuple[scoring.Q, ...]


# Published questionnaires never change: cached by id for an hour. Outlet facts and "which questionnaire
# applies" are cached for a minute (an outlet moved to another enterprise is attributed anew then). The
# cache is the shared one (Redis in production), so every worker sees a publication within a minute.
# Above it each worker keeps what it read for ``_LOCAL_SECONDS`` (``core.memo``): the submit path then
# makes no cache round trip at all for them, and a change is seen everywhere within 60 + 10 s.
_CACHE_SECONDS = 60
_LOCAL_SECONDS = 10.0
_PREFIX = "surveys:v1:"
_local = ProcessMemo[Any]("surveys.public", ttl=_LOCAL_SECONDS, max_entries=20_000)


def _forget_questionnaires() -> None:
    cache.set(_PREFIX + "generation", (cache.get(_PREFIX + "generation") or 0) + 1, None)
    _local.forget()


def _enterprise_of(org: Organization) -> Organization | None:
    ids = [int(p) for p in org.path.strip(".").split(".") if p]
    return (
        Organization.objects.filter(pk__in=ids, kind=OrgKind.ENTERPRISE).order_by("depth").first()
        or Organization.objects.filter(pk__in=ids, kind=OrgKind.BRANCH).order_by("depth").first()
    )


def _load_outlet(outlet_id: int) -> OutletInfo | None:
    outlet = Outlet.objects.select_related("organization").filter(pk=outlet_id).first()
    if outlet is None:
        return None
    ent = _enterprise_of(outlet.organization)
    if ent is None:
        return None
    return OutletInfo(
        outlet_id=outlet.pk,
        name=outlet.organization.name,
        address=outlet.organization.address,
        enterprise_id=ent.pk,
        enterprise_name=ent.name,
        brand_id=outlet.brand_id,
        city_code=outlet.organization.city_code,
        path=outlet.organization.path,
        open=outlet.status == OutletStatus.OPEN and outlet.organization.is_active,
    )


def outlet_info(outlet_id: int) -> OutletInfo | None:
    return _local.get(("outlet", outlet_id), lambda: _shared_outlet_info(outlet_id))


def _shared_outlet_info(outlet_id: int) -> OutletInfo | None:
    key = f"{_PREFIX}outlet:{outlet_id}"
    hit = cache.get(key)
    if hit is not None:
        return hit or None
    info = _load_outlet(outlet_id)
    cache.set(key, info or False, _CACHE_SECONDS)
    return info


def forget_outlet(outlet_id: int) -> None:
    cache.delete(f"{_PREFIX}outlet:{outlet_id}")
    _local.forget(("outlet", outlet_id))


def _freeze(q: Questionnaire) -> FrozenQuestionnaire:
    return FrozenQuestionnaire(
        id=q.pk, title=q.title, intro=q.intro, questions=tuple(scoring.freeze(x) for x in q.questions.all())
    )


def frozen_questionnaire(qid: int) -> FrozenQuestionnaire:
    fq = _local.peek(("q", qid))
    if fq is not None:
        return fq
    key = f"{_PREFIX}q:{qid}"
    fq = cache.get(key)
    if fq is None:
        q = Questionnaire.objects.get(pk=qid)
        fq = _freeze(q)
        if q.status == QuestionnaireStatus.DRAFT:
            return fq  # a draft is still being edited: never kept
        cache.set(key, fq, 3600)
    _local.put(("q", qid), fq)
    return fq


def questionnaire_for(info: OutletInfo) -> FrozenQuestionnaire | None:
    """The published questionnaire of the outlet's nearest ancestor that has one (the province's default)."""
    qid = _local.get(("applies", info.path), lambda: _applies(info))
    return frozen_questionnaire(qid) if qid else None


def _applies(info: OutletInfo) -> int:
    gen = cache.get(_PREFIX + "generation") or 0
    key = f"{_PREFIX}applies:{gen}:{info.path}"
    qid = cache.get(key)
    if qid is None:
        ids = [int(p) for p in info.path.strip(".").split(".") if p]
        qid = (
            Questionnaire.objects.filter(organization_id__in=ids, status=QuestionnaireStatus.PUBLISHED)
            .order_by("-organization__depth", "-published_at")
            .values_list("pk", flat=True)
            .first()
        ) or 0
        if not qid and not Questionnaire.objects.filter(family=DEFAULT_FAMILY).exists():
            qid = ensure_default_questionnaire().pk  # a fresh install: the default postal questionnaire
        cache.set(key, qid, _CACHE_SECONDS)
    return qid


class AlreadyAnswered(ApplicationError):
    pass


def already_answered(*, outlet_id: int, device_token: str, day: date | None = None) -> bool:
    day = day or timezone.localdate()
    return SurveyResponse.objects.filter(outlet_id=outlet_id, day=day, device=device_digest(device_token)).exists()


def response_submit(
    *, info: OutletInfo, questionnaire: FrozenQuestionnaire, device_token: str, data: Any, now: Any = None
) -> SurveyResponse:
    """Validate and store one anonymous response (one INSERT). Raises ``scoring.AnswerErrors`` for a
    wrong form and :class:`AlreadyAnswered` for a second response of the device at the outlet that day."""
    answers = scoring.clean(questionnaire.questions, data)
    scores = scoring.score(questionnaire.questions, answers)
    now = now or timezone.now()
    day = timezone.localdate(now)
    row = SurveyResponse(
        outlet_id=info.outlet_id,
        enterprise_id=info.enterprise_id,
        brand_id=info.brand_id,
        city_code=info.city_code,
        questionnaire_id=questionnaire.id,
        day=day,
        month=day.replace(day=1),
        submitted_at=now,
        device=device_digest(device_token),
        answers=answers,
        comment=scoring.comment_of(questionnaire.questions, answers),
        score=scores["score"],
        s_acceptance=scores[Dimension.ACCEPTANCE],
        s_pickup=scores[Dimension.PICKUP],
        s_delivery=scores[Dimension.DELIVERY],
        s_after_sales=scores[Dimension.AFTER_SALES],
        s_information=scores[Dimension.INFORMATION],
    )
    conn = transaction.get_connection()
    store = _insert_bound if conn.vendor == "postgresql" else _insert_orm
    try:
        if conn.in_atomic_block:
            with transaction.atomic():  # a savepoint: a refused row must not spoil the caller's transaction
                store(row, conn)
        else:  # one INSERT is its own transaction: BEGIN/COMMIT would be three more round trips (S1)
            store(row, conn)
    except IntegrityError as exc:
        raise AlreadyAnswered(_("您今天已经评价过这个网点了，感谢您的参与！明天可以再来评价。")) from exc
    return row


def _insert_orm(row: SurveyResponse, conn: Any) -> None:
    row.save(force_insert=True)


_INSERT_FIELDS = (
    "outlet_id",
    "enterprise_id",
    "brand_id",
    "city_code",
    "questionnaire_id",
    "day",
    "month",
    "submitted_at",
    "device",
    "answers",
    "comment",
    "score",
    "s_acceptance",
    "s_pickup",
    "s_delivery",
    "s_after_sales",
    "s_information",
)


@functools.cache
def _insert_sql() -> str:
    """The INSERT of :func:`_insert_bound` (PostgreSQL quoting)."""
    meta = SurveyResponse._meta

    def q(name: str) -> str:
        return f'"{name}"'

    cols = ", ".join(q(meta.get_field(f.removesuffix("_id")).column) for f in _INSERT_FIELDS)
    marks = ", ".join(["%s"] * len(_INSERT_FIELDS))
    return f"INSERT INTO {q(meta.db_table)} ({cols}) VALUES ({marks}) RETURNING {q(meta.pk.column)}"


def _insert_bound(row: SurveyResponse, conn: Any) -> None:
    """PostgreSQL: the same one INSERT with server-side parameters instead of the values spelled into
    the SQL text (Django's psycopg cursors bind on the client, and the server then parses seventeen
    literals, the answers' JSON among them, on every submit). Nothing is prepared (Django turns psycopg's
    prepared statements off; they would not survive PgBouncer in transaction mode). The cursor is
    wrapped as Django wraps its own: the query log, database errors as ``django.db`` exceptions, the
    connection's health check."""
    import psycopg  # deferred: PostgreSQL only; the embedded profile has no psycopg

    params = [getattr(row, f) for f in _INSERT_FIELDS]
    params[_INSERT_FIELDS.index("answers")] = conn.ops.adapt_json_value(row.answers, None)
    conn.validate_thread_sharing()
    conn.close_if_health_check_failed()
    conn.ensure_connection()
    cursor = psycopg.Cursor(conn.connection)
    with conn.make_debug_cursor(cursor) if conn.queries_logged else conn.make_cursor(cursor) as cur:
        cur.execute(_insert_sql(), params)
        row.pk = cur.fetchone()[0]
    row._state.adding, row._state.db = False, conn.alias


# --- follow-ups of negative comments --------------------------------------------------------------


def follow_up_handle(*, insight_id: int, note: str, by: Any) -> CommentInsight:
    note = (note or "").strip()

    def prepare(obj: CommentInsight, t: Any) -> dict[str, Any]:
        if not note:
            raise ApplicationError(_("请填写跟进情况"), field="note")
        return {"handling_note": note[:300]}

    return perform(FOLLOW_UP_WORKFLOW, insight_id, "handle", by=by, comment=note[:300], prepare=prepare).obj
