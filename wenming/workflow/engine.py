"""The transition kernel: ONE implementation of "perform a state transition".

A :class:`Workflow` is a table of :class:`Transition` rows for one model (no I/O). :func:`perform` is the
only code that moves an object between states. In one transaction it

1. locks the row (``select_for_update`` on PostgreSQL; on SQLite the transaction itself is IMMEDIATE, so
   the write lock is taken when it begins and held until commit),
2. checks the source state (``TransitionNotAllowed`` otherwise),
3. authorises ``by`` through the one policy (``PermissionDenied`` otherwise),
4. runs the caller's ``prepare`` hook (validation → ``ApplicationError``; returns extra fields),
5. sets the state and the fields and saves,
6. writes one event row (the workflow's event model, subclass of ``core.models.TransitionEvent``),
7. writes one audit row (actor and client IP from the request context),
8. runs the caller's ``after`` hook — notifications go out only after commit (``workbench.notify``
   defers itself with ``transaction.on_commit``), so a rolled-back transition notifies no one.

Event kinds are the transitions' names plus a few declared non-transition kinds (``create``, ``view``,
…); their labels come from the workflow alone (:meth:`Workflow.kind_choices`), never from a second table.

Programmes whose stages are *data* (an honour type's review chain configured per programme) build their
workflow at run time with :func:`stage_chain` and run on the same :func:`perform`; see docs/workflows.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from wenming.audit.models import AuditAction
from wenming.audit.services import audit_record
from wenming.core.errors import TransitionNotAllowed

from . import policy


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    permission: str
    label: str = ""
    audit: str | None = AuditAction.DECISION  # the audit action written, or None for none

    def __init__(
        self,
        name: str,
        sources: Iterable[str],
        target: str,
        permission: str,
        label: str = "",
        *,
        audit: str | None = AuditAction.DECISION,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", str(target))
        object.__setattr__(self, "permission", permission)
        object.__setattr__(self, "label", label or name)
        object.__setattr__(self, "audit", audit)


@dataclass
class Workflow:
    """The transitions of one model plus where its history goes.

    ``model``/``event_model`` are ``"app_label.Model"`` strings (resolved lazily, so the table can be
    imported by ``models.py`` for its choices). ``event_fk`` is the event model's foreign key to the
    subject. ``subject`` maps the locked object to the object whose history, permission and audit row
    the transition belongs to (itself by default; an extension request belongs to its task).
    ``kinds`` declares event kinds that are not transitions (label per kind).
    """

    key: str
    transitions: tuple[Transition, ...]
    model: str
    event_model: str = ""
    event_fk: str = ""
    state_field: str = "status"
    kinds: dict[str, str] = field(default_factory=dict)
    lock_related: tuple[str, ...] = ()
    subject: Callable[[Any], Any] | None = None

    def __post_init__(self) -> None:
        names = [t.name for t in self.transitions]
        for kind in self.kinds:
            if kind in names:
                raise ValueError(f"{self.key}: event kind {kind!r} is also a transition")
        register(self)

    # --- the table --------------------------------------------------------------------------------
    def get(self, name: str, status: str) -> Transition:
        for t in self.transitions:
            if t.name == name and status in t.sources:
                return t
        raise TransitionNotAllowed(f"当前状态下不能执行此操作（{self.label(name)}）", code="transition_not_allowed")

    def named(self, name: str) -> list[Transition]:
        return [t for t in self.transitions if t.name == name]

    def from_state(self, status: str) -> list[Transition]:
        return [t for t in self.transitions if status in t.sources]

    def states(self) -> set[str]:
        out: set[str] = set()
        for t in self.transitions:
            out |= set(t.sources)
            out.add(t.target)
        return out

    def label(self, kind: str) -> str:
        if kind in self.kinds:
            return self.kinds[kind]
        for t in self.transitions:
            if t.name == kind:
                return t.label
        return kind

    def kind_choices(self) -> list[tuple[str, str]]:
        seen: dict[str, str] = dict(self.kinds)
        for t in self.transitions:
            seen.setdefault(t.name, t.label)
        return list(seen.items())

    # --- per object -------------------------------------------------------------------------------
    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.state_field))

    def subject_of(self, obj: Any) -> Any:
        return self.subject(obj) if self.subject else obj

    def available(self, obj: Any, user: Any, *, names: Sequence[str] | None = None) -> list[Transition]:
        """The transitions ``user`` may fire on ``obj`` now (source state and policy); buttons use this."""
        state = self.state_of(obj)
        subject = self.subject_of(obj)
        out = []
        for t in self.transitions:
            if (
                state in t.sources
                and (names is None or t.name in names)
                and policy.authorize(user, t.permission, subject)
            ):
                out.append(t)
        return out

    def can(self, obj: Any, user: Any, name: str) -> bool:
        return bool(self.available(obj, user, names=[name]))

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def event_class(self) -> type[models.Model] | None:
        return apps.get_model(self.event_model) if self.event_model else None


_REGISTRY: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    _REGISTRY[workflow.key] = workflow
    return workflow


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def registry() -> dict[str, Workflow]:
    return dict(_REGISTRY)


def workflow_for(obj_or_model: Any) -> Workflow | None:
    label = obj_or_model._meta.label
    for wf in _REGISTRY.values():
        if wf.model == label:
            return wf
    return None


@dataclass
class Outcome:
    obj: Any
    transition: Transition
    event: Any
    from_state: str


def _truncate(model: type[models.Model], name: str, value: str) -> str:
    try:
        limit = model._meta.get_field(name).max_length
    except Exception:
        return value
    return value[:limit] if limit else value


def record_event(
    workflow: Workflow,
    subject: Any,
    kind: str,
    *,
    by: Any,
    comment: str = "",
    old: str = "",
    new: str = "",
    at: Any = None,
) -> Any:
    """Append one history row for ``subject`` (transitions and the declared non-transition kinds)."""
    model = workflow.event_class()
    if model is None:
        return None
    if kind not in workflow.kinds and not workflow.named(kind):
        raise ValueError(f"{workflow.key}: undeclared event kind {kind!r}")
    by = by if (by is not None and getattr(by, "is_authenticated", False)) else None
    return model.objects.create(
        **{workflow.event_fk: subject},
        kind=kind,
        from_status=old,
        to_status=new,
        by=by,
        at=at or timezone.now(),
        comment=_truncate(model, "comment", comment or ""),
    )


def lock(workflow: Workflow, target: Any) -> Any:
    """Re-read ``target`` (an instance or a pk) with a row lock, inside the caller's transaction."""
    model = workflow.model_class()
    pk = target.pk if isinstance(target, models.Model) else target
    qs = model._default_manager.select_for_update()
    if workflow.lock_related:
        qs = qs.select_related(*workflow.lock_related)
    return qs.get(pk=pk)


def perform(
    workflow: Workflow,
    target: Any,
    name: str,
    *,
    by: Any,
    comment: str = "",
    fields: dict[str, Any] | None = None,
    prepare: Callable[[Any, Transition], dict[str, Any] | None] | None = None,
    after: Callable[[Any, Outcome], None] | None = None,
    detail: dict[str, Any] | None = None,
    audit_repr: str = "",
    event_at: Any = None,
) -> Outcome:
    """Move ``target`` (instance or pk) along transition ``name``; see the module docstring for the steps."""
    with transaction.atomic():
        obj = lock(workflow, target)
        old = workflow.state_of(obj)
        t = workflow.get(name, old)
        subject = workflow.subject_of(obj)
        policy.require(by, t.permission, subject)
        extra = dict(fields or {})
        if prepare is not None:
            extra.update(prepare(obj, t) or {})
        setattr(obj, workflow.state_field, t.target)
        for k, v in extra.items():
            setattr(obj, k, v)
        update = [workflow.state_field, *extra]
        if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
            update.append("updated_at")
        obj.save(update_fields=list(dict.fromkeys(update)))
        event = record_event(workflow, subject, t.name, by=by, comment=comment, old=old, new=t.target, at=event_at)
        if t.audit:
            audit_record(
                t.audit,
                user=by,
                obj=subject,
                object_repr=audit_repr,
                detail={"transition": t.name, "from": old, "to": t.target, **(detail or {})},
            )
        outcome = Outcome(obj=obj, transition=t, event=event, from_state=old)
        if after is not None:
            after(obj, outcome)
        return outcome


# --- stages stored as data ------------------------------------------------------------------------
@dataclass(frozen=True)
class Stage:
    """One step of a configured review chain: its state code, label and who decides at it."""

    code: str
    label: str
    permission: str
    can_return: bool = True  # 补正: back to the applicant with comments


def stage_chain(
    key: str,
    *,
    model: str,
    stages: Sequence[Stage],
    draft: str = "draft",
    returned: str = "returned",
    done: str = "done",
    rejected: str = "rejected",
    submit_permission: str,
    event_model: str = "",
    event_fk: str = "",
    state_field: str = "status",
) -> Workflow:
    """Build a workflow from stages held as data (e.g. an honour programme's rows):

    draft --submit--> stage[0] --advance--> stage[1] … --advance--> done;
    each stage may ``return`` (补正) to ``returned`` (resubmit goes back to the stage that returned it is
    the caller's choice: here to stage[0]) and ``reject`` to ``rejected``. Stage permissions are named
    rules or actions of the policy, so the city bureau decides the first stage and the province the next.
    """
    if not stages:
        raise ValueError("a stage chain needs at least one stage")
    ts: list[Transition] = [
        Transition("submit", {draft}, stages[0].code, submit_permission, "提交"),
        Transition("resubmit", {returned}, stages[0].code, submit_permission, "补正后重新提交"),
    ]
    for i, st in enumerate(stages):
        nxt = stages[i + 1].code if i + 1 < len(stages) else done
        ts.append(Transition("advance", {st.code}, nxt, st.permission, f"{st.label}通过"))
        if st.can_return:
            ts.append(Transition("return", {st.code}, returned, st.permission, "退回补正"))
        ts.append(Transition("reject", {st.code}, rejected, st.permission, "不予通过"))
    return Workflow(
        key=key,
        transitions=tuple(ts),
        model=model,
        event_model=event_model,
        event_fk=event_fk,
        state_field=state_field,
        kinds={"create": "创建"},
    )
