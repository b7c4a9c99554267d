"""Request context: who acts, from which address, under which request id — for services and the audit log.

``RequestContextMiddleware`` binds one :class:`RequestContext` per request in a context variable;
services take ``by=`` (the actor) and never the request; ``audit_record`` reads the client IP and the
request id from here. Outside a request (scheduler, task worker, shell) there is no context and the
actor is the system.

The client IP is ``REMOTE_ADDR`` unless the direct peer is one of ``WENMING_TRUSTED_PROXIES``; only then
is the header named by ``WENMING_PROXY_IP_HEADER`` (default ``HTTP_X_REAL_IP``) believed. A header sent
by anyone else is ignored, so a client cannot choose the address the audit log records.
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


@dataclass(frozen=True)
class RequestContext:
    actor: Any  # the user (possibly anonymous) of the request
    ip: str
    request_id: str
    user_agent: str = ""
    # Values read once per request (``memo``): settings rows every row of a list consults.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


_current: ContextVar[RequestContext | None] = ContextVar("wenming_request_context", default=None)


def current() -> RequestContext | None:
    return _current.get()


def current_ip() -> str:
    ctx = _current.get()
    return ctx.ip if ctx else ""


def current_request_id() -> str:
    ctx = _current.get()
    return ctx.request_id if ctx else ""


def in_request() -> bool:
    return _current.get() is not None


def memo(key: str, load: Callable[[], Any]) -> Any:
    """``load()`` once per request (every call outside a request loads afresh)."""
    ctx = _current.get()
    if ctx is None:
        return load()
    if key not in ctx.memo:
        ctx.memo[key] = load()
    return ctx.memo[key]


def forget(key: str) -> None:
    """Drop a memoised value (after the row behind it changed)."""
    ctx = _current.get()
    if ctx is not None:
        ctx.memo.pop(key, None)


@contextmanager
def bind(ctx: RequestContext) -> Iterator[RequestContext]:
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def _valid_ip(value: str) -> str:
    value = (value or "").strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


def _trusted(peer: str) -> bool:
    for net in getattr(settings, "WENMING_TRUSTED_PROXIES", ()):
        try:
            if ipaddress.ip_address(peer) in ipaddress.ip_network(net, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request: Any) -> str:
    """The client's address: the trusted proxy's header when the peer is a trusted proxy, else the peer."""
    if request is None:
        return ""
    peer = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    if peer and _trusted(peer):
        header = getattr(settings, "WENMING_PROXY_IP_HEADER", "HTTP_X_REAL_IP")
        raw = request.META.get(header, "")
        # X-Forwarded-For style: the proxy appends the peer it saw last
        forwarded = _valid_ip(raw.split(",")[-1]) if raw else ""
        if forwarded:
            return forwarded
    return peer[:45]


def request_id_for(request: Any) -> str:
    """A trusted proxy's X-Request-ID when well-formed, else a new one."""
    peer = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if given and peer and _trusted(peer) and _REQUEST_ID.match(given):
        return given
    return uuid.uuid4().hex


def from_request(request: Any) -> RequestContext:
    return RequestContext(
        actor=getattr(request, "user", None),
        ip=client_ip(request),
        request_id=request_id_for(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )
