"""Services of the publicity app: keyword-only, ``by=`` the acting user; every state change through the
kernel (``perform``), other writes audited; uploads through ``core.uploads``; notifications after commit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core import crypto, pii, uploads
from wenming.core.errors import ApplicationError
from wenming.organizations.models import Organization, RoleAssignment
from wenming.organizations.services import issuing_bureau
from wenming.people.models import Courier
from wenming.workbench.services import notify_many
from wenming.workflow.engine import perform, record_event
from wenming.workflow.policy import authorize, require

from .choices import (
    ExemplarKind,
    ExemplarStatus,
    NoticeStatus,
    NoticeTarget,
    SuggestionSource,
    ValuesStatus,
)
from .models import (
    Exemplar,
    ExemplarPhoto,
    MediaCoverage,
    Notice,
    NoticeAttachment,
    NoticeDelivery,
    NoticeRead,
    Suggestion,
    SuggestionCounter,
    ValueStatement,
)
from .permissions import PublicityAction as PA
from .workflows import EXEMPLAR_WORKFLOW, NOTICE_WORKFLOW, SUGGESTION_WORKFLOW, VALUES_WORKFLOW

MAX_PHOTOS = 9
ATTACHMENT_KINDS = (uploads.DOCUMENT, uploads.IMAGE, uploads.SPREADSHEET)
CLIPPING_KINDS = (uploads.IMAGE, uploads.DOCUMENT)
ENTERPRISE_KINDS = ("enterprise", "branch")


def _require_on(by: Any, action: str, org: Organization) -> None:
    if not authorize(by, action, org):
        raise PermissionDenied


def users_of(orgs: Any) -> QuerySet:
    """Active users holding a role granted on one of ``orgs`` itself (the unit's own people)."""
    ids = RoleAssignment.objects.filter(organization__in=orgs).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True)


# --- 先进典型库 -------------------------------------------------------------------------------------
EXEMPLAR_FIELDS = ("kind", "name", "headline", "honours", "deeds", "video_url")


def _check_video(url: str) -> None:
    if url and not url.lower().startswith(("https://", "http://")):
        raise ApplicationError(_("视频链接须以 http:// 或 https:// 开头"), field="video_url")


def _store_exemplar_photos(exemplar: Exemplar, photos: list[Any], by: Any) -> int:
    if not photos:
        return 0
    if exemplar.photos.count() + len(photos) > MAX_PHOTOS:
        raise ApplicationError(_("每个先进典型最多 %(n)s 张照片") % {"n": MAX_PHOTOS}, field="photos")
    for p in photos:
        ExemplarPhoto.objects.create(
            exemplar=exemplar,
            image=uploads.save(p, prefix="publicity/exemplars"),
            width=p.width,
            height=p.height,
            sha256=p.sha256,
            uploaded_by=by,
        )
    return len(photos)


def _check_courier(by: Any, organization: Organization, courier: Courier | None) -> None:
    if courier is None:
        return
    if not Courier.objects.visible_to(by).filter(pk=courier.pk).exists():
        raise PermissionDenied
    if not courier.outlet.path.startswith(organization.path):
        raise ApplicationError(_("关联的快递员不属于所选单位"), field="courier")


@transaction.atomic
def exemplar_create(
    *, by: Any, organization: Organization, data: dict[str, Any], courier: Courier | None = None, photos=()
) -> Exemplar:
    _require_on(by, PA.EDIT, organization)
    _check_courier(by, organization, courier)
    _check_video(data.get("video_url", ""))
    ex = Exemplar(organization=organization, courier=courier, created_by=by)
    for f in EXEMPLAR_FIELDS:
        if f in data:
            setattr(ex, f, data[f])
    if courier is not None:
        ex.kind, ex.name = ExemplarKind.PERSON, courier.name
    ex.save()
    n = _store_exemplar_photos(ex, list(photos), by)
    record_event(EXEMPLAR_WORKFLOW, ex, "create", by=by, new=ex.status)
    audit_record(AuditAction.CREATE, user=by, obj=ex, detail={"photos": n})
    return ex


@transaction.atomic
def exemplar_update(*, by: Any, exemplar_id: int, data: dict[str, Any], photos=()) -> Exemplar:
    ex = Exemplar.objects.select_for_update().get(pk=exemplar_id)
    _require_on(by, PA.EDIT, ex.organization)
    if ex.status != ExemplarStatus.DRAFT:
        raise ApplicationError(_("只能修改草稿；已核实的请先退回修改，已发布的请先撤下"))
    _check_video(data.get("video_url", ex.video_url))
    fields = [f for f in EXEMPLAR_FIELDS if not (ex.courier_id and f in ("kind", "name"))]
    changed = [f for f in fields if f in data and getattr(ex, f) != data[f]]
    for f in changed:
        setattr(ex, f, data[f])
    ex.save()
    n = _store_exemplar_photos(ex, list(photos), by)
    audit_record(AuditAction.UPDATE, user=by, obj=ex, detail={"fields": changed, "photos": n})
    return ex


@transaction.atomic
def exemplar_photo_remove(*, by: Any, photo_id: int) -> None:
    photo = ExemplarPhoto.objects.select_related("exemplar__organization").get(pk=photo_id)
    _require_on(by, PA.EDIT, photo.exemplar.organization)
    if photo.exemplar.status != ExemplarStatus.DRAFT:
        raise ApplicationError(_("只能修改草稿；已核实的请先退回修改，已发布的请先撤下"))
    name = photo.image.name
    audit_record(AuditAction.DELETE, user=by, obj=photo.exemplar, detail={"photo": photo.pk})
    photo.delete()
    transaction.on_commit(lambda: uploads.delete_stored([name]))


@transaction.atomic
def exemplar_record_consent(
    *,
    by: Any,
    exemplar_id: int,
    consent_by: str,
    scope: str,
    given_on: date,
    until: date | None = None,
    note: str = "",
) -> Exemplar:
    """Record who agreed to publication, when, to what and until when (a new consent replaces the old)."""
    ex = Exemplar.objects.select_for_update().select_related("organization").get(pk=exemplar_id)
    _require_on(by, PA.EDIT, ex.organization)
    today = timezone.localdate()
    if given_on > today:
        raise ApplicationError(_("同意日期不能晚于今天"), field="given_on")
    if until is not None and until < today:
        raise ApplicationError(_("有效期不能早于今天"), field="until")
    ex.consent_by, ex.consent_scope, ex.consent_until, ex.consent_note = consent_by.strip(), scope, until, note
    ex.consent_at = timezone.make_aware(datetime.combine(given_on, datetime.min.time()))
    ex.consent_recorded_by, ex.consent_withdrawn_at = by, None
    ex.save()
    record_event(EXEMPLAR_WORKFLOW, ex, "consent", by=by, comment=ex.get_consent_scope_display())
    audit_record(AuditAction.UPDATE, user=by, obj=ex, detail={"consent": scope, "until": str(until or "")})
    return ex


@transaction.atomic
def exemplar_withdraw_consent(*, by: Any, exemplar_id: int, note: str = "") -> Exemplar:
    """The person withdrew consent: record it and, if the profile is public, take it down at once."""
    ex = Exemplar.objects.select_for_update().select_related("organization").get(pk=exemplar_id)
    _require_on(by, PA.EDIT, ex.organization)
    if ex.consent_at is None or ex.consent_withdrawn_at is not None:
        raise ApplicationError(_("没有可撤回的同意记录"))
    if ex.status == ExemplarStatus.PUBLISHED:
        return exemplar_withdraw_published(by=by, exemplar_id=ex.pk, note=note)
    ex.consent_withdrawn_at = timezone.now()
    ex.save(update_fields=["consent_withdrawn_at", "updated_at"])
    record_event(EXEMPLAR_WORKFLOW, ex, "consent_withdrawn", by=by, comment=note)
    audit_record(AuditAction.UPDATE, user=by, obj=ex, detail={"consent": "withdrawn"})
    return ex


def exemplar_withdraw_published(*, by: Any, exemplar_id: int, note: str = "") -> Exemplar:
    """The transition behind a withdrawal: the published page goes down in the same transaction."""
    fields = {"consent_withdrawn_at": timezone.now()}
    return perform(EXEMPLAR_WORKFLOW, exemplar_id, "withdraw", by=by, comment=note, fields=fields).obj


def exemplar_verify(*, by: Any, exemplar_id: int, comment: str = "") -> Exemplar:
    now = timezone.now()
    return perform(
        EXEMPLAR_WORKFLOW, exemplar_id, "verify", by=by, comment=comment, fields={"verified_at": now, "verified_by": by}
    ).obj


def exemplar_reopen(*, by: Any, exemplar_id: int, comment: str) -> Exemplar:
    if not comment.strip():
        raise ApplicationError(_("请填写退回原因"), field="comment")
    return perform(EXEMPLAR_WORKFLOW, exemplar_id, "reopen", by=by, comment=comment).obj


def exemplar_publish(*, by: Any, exemplar_id: int) -> Exemplar:
    def prepare(ex: Exemplar, _t: Any) -> dict[str, Any]:
        if not ex.has_consent:
            raise ApplicationError(_("尚未记录本人（或集体代表）的有效同意，不能发布"))
        return {"published_at": timezone.now()}

    return perform(EXEMPLAR_WORKFLOW, exemplar_id, "publish", by=by, prepare=prepare).obj


def exemplar_unpublish(*, by: Any, exemplar_id: int, comment: str) -> Exemplar:
    if not comment.strip():
        raise ApplicationError(_("请填写撤下原因"), field="comment")
    return perform(EXEMPLAR_WORKFLOW, exemplar_id, "unpublish", by=by, comment=comment).obj


def exemplar_expire_consents(*, today: date | None = None) -> int:
    """Take down published profiles whose consent ran out (the hourly job; the system alone)."""
    today = today or timezone.localdate()
    ids = list(
        Exemplar.objects.filter(status=ExemplarStatus.PUBLISHED, consent_until__lt=today).values_list("pk", flat=True)
    )
    for pk in ids:
        perform(EXEMPLAR_WORKFLOW, pk, "expire", by=None, comment=f"同意有效期至 {today:%Y-%m-%d} 前已届满")
    return len(ids)


# --- 媒体报道 ---------------------------------------------------------------------------------------
COVERAGE_FIELDS = ("title", "outlet_name", "medium", "published_on", "url", "reach", "summary", "honours")


def _coverage_refs(by: Any, organization: Organization, activity: Any, exemplars: Any) -> None:
    # deferred: activities sits below publicity; its model is read only to check the link is in scope
    from wenming.activities.models import Activity

    if activity is not None and not Activity.objects.visible_to(by).filter(pk=activity.pk).exists():
        raise ApplicationError(_("所选活动不在您的数据范围内"), field="activity")
    ids = [e.pk for e in exemplars or []]
    if ids and Exemplar.objects.visible_to(by).filter(pk__in=ids).count() != len(set(ids)):
        raise ApplicationError(_("所选先进典型不在您的数据范围内"), field="exemplars")


def _coverage_check(data: dict[str, Any], clipping: Any) -> None:
    if data.get("published_on") and data["published_on"] > timezone.localdate():
        raise ApplicationError(_("刊播日期不能晚于今天"), field="published_on")
    if not data.get("url") and clipping is None:
        raise ApplicationError(_("请填写报道链接或上传剪报"), field="url")


def _store_clipping(cov: MediaCoverage, clipping: Any) -> None:
    clean = uploads.check_file(clipping, kinds=CLIPPING_KINDS, field="clipping")
    cov.clipping = uploads.save(clean, prefix="publicity/coverage")
    cov.clipping_name = clean.original_name or "剪报"


@transaction.atomic
def coverage_create(
    *,
    by: Any,
    organization: Organization,
    data: dict[str, Any],
    activity: Any = None,
    exemplars: Any = (),
    clipping: Any = None,
) -> MediaCoverage:
    _require_on(by, PA.EDIT, organization)
    _coverage_refs(by, organization, activity, exemplars)
    _coverage_check(data, clipping)
    cov = MediaCoverage(organization=organization, activity=activity, created_by=by)
    for f in COVERAGE_FIELDS:
        if f in data:
            setattr(cov, f, data[f] if data[f] is not None else "")
    if clipping is not None:
        _store_clipping(cov, clipping)
    cov.save()
    cov.exemplars.set(exemplars or [])
    audit_record(AuditAction.CREATE, user=by, obj=cov, detail={"medium": cov.medium})
    return cov


@transaction.atomic
def coverage_update(
    *, by: Any, coverage_id: int, data: dict[str, Any], activity: Any = None, exemplars: Any = (), clipping: Any = None
) -> MediaCoverage:
    cov = MediaCoverage.objects.select_for_update().get(pk=coverage_id)
    _require_on(by, PA.EDIT, cov.organization)
    _coverage_refs(by, cov.organization, activity, exemplars)
    _coverage_check({**data, "url": data.get("url") or ("kept" if cov.clipping else "")}, clipping)
    changed = [f for f in COVERAGE_FIELDS if f in data and getattr(cov, f) != data[f]]
    for f in changed:
        setattr(cov, f, data[f] if data[f] is not None else "")
    cov.activity = activity
    if clipping is not None:
        _store_clipping(cov, clipping)
        changed.append("clipping")
    cov.save()
    cov.exemplars.set(exemplars or [])
    audit_record(AuditAction.UPDATE, user=by, obj=cov, detail={"fields": changed})
    return cov


# --- 通知公告 ---------------------------------------------------------------------------------------
def notice_recipients(notice: Notice) -> QuerySet[Organization]:
    """The units a notice goes to, inside the sender's subtree (never the sender itself)."""
    sender = notice.organization
    base = sender.descendants().filter(is_active=True)
    if notice.target == NoticeTarget.CITY_BUREAUS:
        return base.filter(kind="city_bureau")
    if notice.target == NoticeTarget.ENTERPRISES:
        return base.filter(kind="enterprise")
    if notice.target == NoticeTarget.CITY_ENTERPRISES:
        city = notice.target_city
        if city is None:
            return base.none()
        return base.filter(kind="enterprise", path__startswith=city.path)
    return base.filter(pk__in=notice.units.values("pk"))


def _notice_check(by: Any, organization: Organization, target: str, target_city: Any, units: Any) -> None:
    if target == NoticeTarget.CITY_ENTERPRISES:
        if target_city is None:
            raise ApplicationError(_("请选择市局"), field="target_city")
        if target_city.kind != "city_bureau" or not target_city.path.startswith(organization.path):
            raise ApplicationError(_("所选市局不在发文单位的管辖范围内"), field="target_city")
    if target == NoticeTarget.UNITS:
        if not units:
            raise ApplicationError(_("请选择接收单位"), field="units")
        for u in units:
            if u.pk == organization.pk or not u.path.startswith(organization.path):
                raise ApplicationError(_("接收单位须在发文单位的管辖范围内"), field="units")


@transaction.atomic
def notice_create(
    *,
    by: Any,
    organization: Organization,
    title: str,
    body: str,
    target: str,
    target_city: Organization | None = None,
    units: Any = (),
    attachments: Any = (),
) -> Notice:
    _require_on(by, PA.NOTICE, organization)
    units = list(units or [])
    _notice_check(by, organization, target, target_city, units)
    notice = Notice.objects.create(
        organization=organization,
        title=title,
        body=body,
        target=target,
        target_city=target_city if target == NoticeTarget.CITY_ENTERPRISES else None,
        created_by=by,
    )
    if target == NoticeTarget.UNITS:
        notice.units.set(units)
    for f in uploads.check_files(list(attachments), kinds=ATTACHMENT_KINDS, max_files=10, field="attachments"):
        NoticeAttachment.objects.create(
            notice=notice,
            file=uploads.save(f, prefix="publicity/notices"),
            original_name=f.original_name or "附件",
            size=f.size,
            content_type=f.content_type,
            uploaded_by=by,
        )
    record_event(NOTICE_WORKFLOW, notice, "create", by=by, new=notice.status)
    audit_record(AuditAction.CREATE, user=by, obj=notice, detail={"target": target})
    return notice


def notice_send(*, by: Any, notice_id: int) -> Notice:
    state: dict[str, Any] = {}

    def prepare(notice: Notice, _t: Any) -> dict[str, Any]:
        orgs = list(notice_recipients(notice))
        if not orgs:
            raise ApplicationError(_("发送范围内没有接收单位"))
        NoticeDelivery.objects.bulk_create([NoticeDelivery(notice=notice, organization=o) for o in orgs])
        state["orgs"] = orgs
        return {"sent_at": timezone.now()}

    def after(notice: Notice, _o: Any) -> None:
        notify_many(
            recipients=users_of(state["orgs"]).exclude(pk=getattr(by, "pk", None)),
            title=f"[通知公告] {notice.title}",
            url=reverse("publicity:inbox"),
            category="通知",
        )

    return perform(NOTICE_WORKFLOW, notice_id, "send", by=by, prepare=prepare, after=after).obj


def is_recipient(user: Any, delivery: NoticeDelivery) -> bool:
    return RoleAssignment.objects.filter(user=user, organization_id=delivery.organization_id).exists()


@transaction.atomic
def notice_open(*, user: Any, delivery_id: int) -> bool:
    """Record ``user``'s read receipt (the first time a recipient opens it); True if this was the first."""
    delivery = NoticeDelivery.objects.select_for_update().get(pk=delivery_id)
    if not is_recipient(user, delivery):
        return False
    _read, created = NoticeRead.objects.get_or_create(delivery=delivery, user=user)
    if delivery.read_at is None:
        delivery.read_at, delivery.read_by = timezone.now(), user
        delivery.save(update_fields=["read_at", "read_by"])
    return created


@transaction.atomic
def notice_remind(*, by: Any, notice_id: int) -> int:
    """Remind the units that have not read the notice; returns the number of units reminded."""
    notice = Notice.objects.select_for_update().select_related("organization").get(pk=notice_id)
    require(by, PA.NOTICE, notice)
    if notice.status != NoticeStatus.SENT:
        raise ApplicationError(_("通知尚未发送"))
    unread = notice.deliveries.filter(read_at__isnull=True)
    orgs = list(unread.values_list("organization_id", flat=True))
    if not orgs:
        raise ApplicationError(_("所有接收单位均已阅读"))
    unread.update(reminded_at=timezone.now())
    notify_many(
        recipients=users_of(orgs),
        title=f"[提醒] 请阅读通知《{notice.title}》",
        url=reverse("publicity:inbox"),
        category="通知",
    )
    record_event(NOTICE_WORKFLOW, notice, "remind", by=by, comment=f"{len(orgs)}")
    audit_record(AuditAction.UPDATE, user=by, obj=notice, detail={"reminded_units": len(orgs)})
    return len(orgs)


# --- 建言献策 ---------------------------------------------------------------------------------------
def _next_number(year: int) -> str:
    counter, _c = SuggestionCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"JY{year}-{counter.last:05d}"


def courier_by_phone(phone: str) -> Courier | None:
    """The courier whose phone (blind index) matches, when exactly one does."""
    try:
        v = pii.parse_phone(phone)
    except pii.ParseError:
        return None
    found = list(Courier.objects.filter(phone_index=crypto.blind_index(v, "phone")).select_related("outlet")[:2])
    return found[0] if len(found) == 1 else None


def _create_suggestion(
    *, organization: Organization, data: dict[str, Any], source: str, name: str, phone: str, by: Any, courier: Any
) -> Suggestion:
    s = Suggestion(
        organization=organization,
        number=_next_number(timezone.localdate().year),
        source=source,
        topic=data.get("topic") or "other",
        title=data["title"],
        content=data["content"],
        submitter_name=name,
        courier=courier,
        submitted_by=by if getattr(by, "is_authenticated", False) else None,
    )
    try:
        s.set_phone(phone)
    except pii.ParseError as exc:
        raise ApplicationError(_("请输入正确的11位手机号码"), field="phone") from exc
    s.save()
    record_event(SUGGESTION_WORKFLOW, s, "submit", by=by, new=s.status)
    audit_record(AuditAction.CREATE, user=by, obj=s, detail={"source": source})
    transaction.on_commit(lambda: _tell_handlers(s, organization))
    return s


def _tell_handlers(s: Suggestion, org: Organization) -> None:
    notify_many(
        recipients=users_of([org]),
        title=f"[建言献策] {s.title}",
        url=reverse("publicity:suggestion-detail", args=[s.pk]),
        category="建言献策",
    )


@transaction.atomic
def suggestion_submit_public(
    *, data: dict[str, Any], city: Organization, name: str, phone: str, is_courier: bool
) -> Suggestion:
    """The public form: a courier whose phone is on record goes to the bureau over his outlet, anyone else
    to the city bureau chosen on the form."""
    if city.kind != "city_bureau" or not city.is_active:
        raise ApplicationError(_("请选择所在城市"), field="city")
    courier = courier_by_phone(phone) if is_courier else None
    org = (issuing_bureau(courier.outlet) if courier else None) or city
    source = SuggestionSource.COURIER if is_courier else SuggestionSource.PUBLIC
    return _create_suggestion(
        organization=org, data=data, source=source, name=name, phone=phone, by=None, courier=courier
    )


@transaction.atomic
def suggestion_submit_staff(
    *, by: Any, data: dict[str, Any], courier: Courier | None = None, phone: str = ""
) -> Suggestion:
    """Staff submit their own suggestion, or one a courier gave them; it goes to the bureau over the
    courier's outlet (or over the staff member's unit)."""
    if courier is not None:
        if not Courier.objects.visible_to(by).filter(pk=courier.pk).exists():
            raise PermissionDenied
        home = courier.outlet
        name, source = courier.name, SuggestionSource.COURIER
    else:
        home = getattr(by, "home_organization", None)
        name, source = (getattr(by, "display_name", "") or by.username), SuggestionSource.STAFF
    if home is None:
        raise ApplicationError(_("您的账号没有所属单位，无法确定办理单位"))
    org = issuing_bureau(home) or home
    return _create_suggestion(
        organization=org, data=data, source=source, name=name, phone=phone, by=by, courier=courier
    )


def suggestion_route(*, by: Any, suggestion_id: int, unit: Organization, comment: str = "") -> Suggestion:
    before: dict[str, int] = {}

    def prepare(s: Suggestion, _t: Any) -> dict[str, Any]:
        before["org"] = s.organization_id
        if not unit.is_active or not unit.path.startswith(s.organization.path):
            raise ApplicationError(_("只能分办给本单位或下属单位"), field="unit")
        if unit.kind not in ("provincial_bureau", "city_bureau", "enterprise", "branch"):
            raise ApplicationError(_("请分办给市局或企业"), field="unit")
        return {"organization": unit}

    def after(s: Suggestion, _o: Any) -> None:
        if unit.pk != before["org"]:
            notify_many(
                recipients=users_of([unit]).exclude(pk=getattr(by, "pk", None)),
                title=f"[建言献策] 请办理：{s.title}",
                url=reverse("publicity:suggestion-detail", args=[s.pk]),
                category="建言献策",
            )

    return perform(
        SUGGESTION_WORKFLOW,
        suggestion_id,
        "route",
        by=by,
        comment=comment or unit.name,
        prepare=prepare,
        after=after,
        detail={"unit": unit.pk},
    ).obj


def suggestion_answer(*, by: Any, suggestion_id: int, answer: str) -> Suggestion:
    if not answer.strip():
        raise ApplicationError(_("请填写答复意见"), field="answer")

    def after(s: Suggestion, _o: Any) -> None:
        if s.submitted_by_id and s.submitted_by_id != getattr(by, "pk", None):
            notify_many(
                recipients=[s.submitted_by_id],
                title=f"[建言献策] 您的建议《{s.title}》已答复",
                url=reverse("publicity:suggestion-detail", args=[s.pk]),
                category="建言献策",
            )

    return perform(
        SUGGESTION_WORKFLOW,
        suggestion_id,
        "answer",
        by=by,
        fields={"answer": answer.strip(), "answered_at": timezone.now(), "answered_by": by},
        after=after,
    ).obj


def suggestion_adopt(*, by: Any, suggestion_id: int, note: str = "") -> Suggestion:
    return perform(
        SUGGESTION_WORKFLOW,
        suggestion_id,
        "adopt",
        by=by,
        comment=note,
        fields={"decision_note": note, "adopted_at": timezone.now()},
    ).obj


def suggestion_decline(*, by: Any, suggestion_id: int, note: str) -> Suggestion:
    if not note.strip():
        raise ApplicationError(_("请说明不予采纳的理由"), field="note")
    return perform(
        SUGGESTION_WORKFLOW, suggestion_id, "decline", by=by, comment=note, fields={"decision_note": note}
    ).obj


# --- 价值体系 ---------------------------------------------------------------------------------------
VALUES_FIELDS = ("core_values", "mission", "vision", "spirit", "code_of_conduct")


@transaction.atomic
def values_create(*, by: Any, organization: Organization, data: dict[str, Any]) -> ValueStatement:
    """A new version of an enterprise's value system (one open version at a time)."""
    _require_on(by, PA.VALUES_EDIT, organization)
    if organization.kind not in ENTERPRISE_KINDS:
        raise ApplicationError(_("价值体系由企业填报"), field="organization")
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    open_states = (ValuesStatus.DRAFT, ValuesStatus.SUBMITTED, ValuesStatus.RETURNED)
    if ValueStatement.objects.filter(organization=organization, status__in=open_states).exists():
        raise ApplicationError(_("该企业已有未审核完成的版本，请在该版本上修改"), field="organization")
    last = ValueStatement.objects.filter(organization=organization).aggregate(v=Max("version"))["v"] or 0
    st = ValueStatement(organization=organization, version=last + 1, created_by=by)
    for f in VALUES_FIELDS:
        setattr(st, f, data.get(f, ""))
    st.save()
    record_event(VALUES_WORKFLOW, st, "create", by=by, new=st.status)
    audit_record(AuditAction.CREATE, user=by, obj=st, detail={"version": st.version})
    return st


@transaction.atomic
def values_update(*, by: Any, statement_id: int, data: dict[str, Any]) -> ValueStatement:
    st = ValueStatement.objects.select_for_update().select_related("organization").get(pk=statement_id)
    _require_on(by, PA.VALUES_EDIT, st.organization)
    if st.status not in (ValuesStatus.DRAFT, ValuesStatus.RETURNED):
        raise ApplicationError(_("只能修改草稿或被退回的版本"))
    changed = [f for f in VALUES_FIELDS if f in data and getattr(st, f) != data[f]]
    for f in changed:
        setattr(st, f, data[f])
    st.save()
    audit_record(AuditAction.UPDATE, user=by, obj=st, detail={"fields": changed})
    return st


def values_submit(*, by: Any, statement_id: int) -> ValueStatement:
    def prepare(st: ValueStatement, _t: Any) -> None:
        missing = [f for f in VALUES_FIELDS if not (getattr(st, f) or "").strip()]
        if missing:
            raise ApplicationError(_("请填写完整的核心价值、使命、共同愿景、企业精神和道德规范"), field=missing[0])

    return perform(VALUES_WORKFLOW, statement_id, "submit", by=by, prepare=prepare).obj


def values_approve(*, by: Any, statement_id: int, note: str = "") -> ValueStatement:
    return perform(
        VALUES_WORKFLOW,
        statement_id,
        "approve",
        by=by,
        comment=note,
        fields={"review_note": note, "approved_at": timezone.now(), "approved_by": by},
    ).obj


def values_return(*, by: Any, statement_id: int, note: str) -> ValueStatement:
    if not note.strip():
        raise ApplicationError(_("请填写退回原因"), field="note")
    return perform(VALUES_WORKFLOW, statement_id, "return", by=by, comment=note, fields={"review_note": note}).obj
