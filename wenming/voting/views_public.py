"""Public voting pages (/p/voting/…): server-rendered, usable without JavaScript, phone first.

The vote ``POST`` is the hot path (quality.md V1): the signed voter cookie (no session, no database),
the poll's cached rules and one call to ``engine.cast``. Everything else is ordinary page work.
"""

from __future__ import annotations

import hashlib
import json
import random
import secrets

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenming.core import context
from wenming.core.errors import ApplicationError
from wenming.core.memo import ProcessMemo
from wenming.web.responses import stored_page

from . import captcha, engine, identity, otp, selectors
from .choices import PollStatus
from .models import CandidatePhoto

try:
    from django.contrib.auth.decorators import login_not_required
except ImportError:  # pragma: no cover - Django < 5.1

    def login_not_required(view):
        return view


def _poll_or_404(poll_id: int):
    poll = selectors.public_poll(poll_id)
    if poll is None:
        raise Http404(_("投票不存在"))
    return poll


def _visitor_seed(request, voter) -> str:
    return voter.key if voter else request.COOKIES.get(settings.CSRF_COOKIE_NAME, "") or secrets.token_hex(8)


def _meta(request) -> engine.Meta:
    # The request context middleware has already worked out the client address; read it, don't redo it.
    ip = context.current_ip() or context.client_ip(request)
    ua = request.META.get("HTTP_USER_AGENT", "")[:300]
    fp_src = "|".join(
        [ua, request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:100], request.META.get("HTTP_ACCEPT_ENCODING", "")[:100]]
    )
    return engine.Meta(
        ip=ip,
        net=engine.network_of(ip),
        ua_hash=hashlib.sha256(ua.encode()).hexdigest()[:16] if ua else "",
        fingerprint=hashlib.sha256(fp_src.encode()).hexdigest()[:16],
    )


def _attach(candidates, counts) -> None:
    for c in candidates:
        c.shown_votes = (counts or {}).get(c.pk, {}).get("total", 0)


@login_not_required
@never_cache
@require_GET
def poll_page(request, poll_id: int):
    poll = _poll_or_404(poll_id)
    voter = identity.from_request(request)
    candidates = list(selectors.public_candidates(poll))
    if poll.shuffle_candidates:
        random.Random(f"{poll.pk}:{_visitor_seed(request, voter)}").shuffle(candidates)
    counts = selectors.public_counts(poll)
    _attach(candidates, counts)
    return render(
        request,
        "voting/poll.html",
        {
            "poll": poll,
            "candidates": candidates,
            "counts": counts,
            "voter": voter,
            "is_open": poll.is_open(),
            "nonce": secrets.token_urlsafe(12),
            "error": request.GET.get("e", "") == "pick" and _("请至少选择一位候选人"),
        },
    )


@login_not_required
@never_cache
@require_GET
def candidate_page(request, poll_id: int, candidate_id: int):
    poll = _poll_or_404(poll_id)
    cand = get_object_or_404(selectors.public_candidates(poll), pk=candidate_id)
    counts = selectors.public_counts(poll)
    _attach([cand], counts)
    return render(
        request,
        "voting/candidate.html",
        {
            "poll": poll,
            "c": cand,
            "counts": counts,
            "voter": identity.from_request(request),
            "is_open": poll.is_open(),
            "nonce": secrets.token_urlsafe(12),
        },
    )


@login_not_required
@require_GET
def photo(request, photo_id: int):
    """A candidate's photo: only while its candidate's consent is recorded and the poll is public."""
    p = get_object_or_404(
        CandidatePhoto.objects.select_related("candidate__poll"),
        pk=photo_id,
        candidate__consent=True,
        candidate__poll__status__in=selectors.PUBLIC_STATES,
    )
    try:
        fh = default_storage.open(p.file, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    resp = FileResponse(fh, content_type="image/jpeg")
    resp["Cache-Control"] = "public, max-age=3600"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


def _safe_next(request, fallback: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=False):
        return nxt
    return fallback


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request, poll_id: int):
    """Phone number + SMS code. Step 1 sends the code (consent box, captcha when asked), step 2 checks it."""
    poll = _poll_or_404(poll_id)
    back = _safe_next(request, reverse("public:voting-poll", args=[poll.pk]))
    ip = context.client_ip(request)
    ctx = {
        "poll": poll,
        "next": back,
        "consent_version": identity.CONSENT_VERSION,
        "errors": {},
        "step": "phone",
        "phone": (request.POST.get("phone") or "")[:20],
        "need_captcha": otp.captcha_required(ip),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "send":
                captcha_ok = captcha.check(request.POST.get("captcha_id", ""), request.POST.get("captcha", ""))
                ctx["phone"] = otp.send_code(
                    phone_raw=ctx["phone"],
                    ip=ip,
                    consent=request.POST.get("consent") == "on",
                    consent_version=identity.CONSENT_VERSION,
                    captcha_ok=captcha_ok,
                )
                ctx["step"] = "code"
            elif action == "verify":
                voter = otp.verify_code(phone_raw=ctx["phone"], code=request.POST.get("code", ""))
                resp = redirect(back)
                resp.set_cookie(
                    identity.COOKIE,
                    identity.issue(voter),
                    max_age=identity.MAX_AGE,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
                return resp
            else:
                raise ApplicationError(_("请求无效"), field="phone")
        except otp.OtpUnavailable as exc:
            ctx["errors"] = {"phone": exc.message}
            status = 503
        except ApplicationError as exc:
            ctx["errors"] = {exc.field or "phone": exc.message}
            ctx["step"] = "code" if action == "verify" and exc.field == "code" else "phone"
            status = 429 if exc.code == "rate" else 422
        ctx["need_captcha"] = otp.captcha_required(ip)
    if ctx["need_captcha"] and ctx["step"] == "phone":
        ctx["captcha_id"] = captcha.new()
    return render(request, "voting/verify.html", ctx, status=status)


@login_not_required
@require_GET
def captcha_image(request, nonce: str):
    png = captcha.image(nonce)
    if png is None:
        raise Http404
    resp = HttpResponse(png, content_type="image/png")
    resp["Cache-Control"] = "no-store"
    return resp


@login_not_required
@never_cache
@require_POST
def vote(request, poll_id: int):
    """The vote. 200 with the confirmation; 409 refused (already voted, closed); 503 when it cannot be kept."""
    voter = identity.from_request(request)
    if voter is None:
        return redirect(
            f"{reverse('public:voting-verify', args=[poll_id])}?next={reverse('public:voting-poll', args=[poll_id])}"
        )
    try:
        ids = [int(x) for x in request.POST.getlist("c")[:60]]
    except ValueError:
        ids = []
    try:
        outcome = engine.cast(
            poll_id=poll_id,
            voter=voter,
            candidate_ids=ids,
            request_id=request.POST.get("nonce", "")[:40],
            meta=_meta(request),
        )
    except engine.VoteUnavailable as exc:
        return _vote_answer(request, poll_id=poll_id, status=503, message=str(exc.message))
    except engine.VoteRefused as exc:
        status = 409 if exc.code in {"cap", "candidate", "closed"} else 422
        if exc.code == "invalid" and exc.field == "candidates" and not ids:
            return redirect(f"{reverse('public:voting-poll', args=[poll_id])}?e=pick#candidates")
        return _vote_answer(request, poll_id=poll_id, status=status, message=str(exc.message))
    return _vote_answer(request, poll_id=poll_id, status=200, duplicate=outcome.duplicate, count=len(set(ids)))


def _vote_answer(
    request, *, poll_id: int, status: int, message: str = "", duplicate: bool = False, count: int = 0
) -> HttpResponse:
    # The answer holds nothing per visitor: stored once per process and outcome (web.stored_page, V1).
    return stored_page(
        request,
        "voting/vote_result.html",
        {
            "ok": status == 200,
            "message": message,
            "duplicate": duplicate,
            "count": count,
            "poll_id": poll_id,
            "care": request.COOKIES.get("care") == "1",
        },
        key=(poll_id, message, duplicate, count),
        status=status,
    )


@login_not_required
@never_cache
@require_GET
def results(request, poll_id: int):
    poll = _poll_or_404(poll_id)
    rows = selectors.result_rows(poll)
    return render(
        request,
        "voting/results.html",
        {
            "poll": poll,
            "rows": rows,
            "shown": poll.show_live_counts or poll.status in (PollStatus.CLOSED, PollStatus.PUBLISHED),
            "snapshot": getattr(poll, "snapshot", None) if poll.status != PollStatus.SCHEDULED else None,
        },
    )


@login_not_required
@require_GET
def board(request, poll_id: int):
    """The live leaderboard as JSON (quality.md V5): the Redis sorted set, cached rules, no ballot reads."""
    rules = engine.load_rules(poll_id)
    if rules is None or rules.status == PollStatus.DRAFT:
        raise Http404
    if not rules.show_live_counts and rules.status in (PollStatus.SCHEDULED, PollStatus.PAUSED):
        return JsonResponse({"poll": poll_id, "shown": False})
    body = _boards.get(poll_id, lambda: _board_body(poll_id))
    resp = HttpResponse(body, content_type="application/json")
    resp["Cache-Control"] = f"public, max-age={int(BOARD_SECONDS) + 1}"
    return resp


# The board's JSON, built once a second per process (freshness ≤ 1 s against V5's 5 s): a thousand-candidate
# poll's ZRANGE and encoding were the whole cost of the read, paid again for every visitor.
BOARD_SECONDS = 1.0
_boards = ProcessMemo[bytes]("voting.board", ttl=BOARD_SECONDS, max_entries=500)


def _board_body(poll_id: int) -> bytes:
    counts = engine.board_counts(poll_id)
    return json.dumps(
        {"poll": poll_id, "shown": True, "online": {str(k): v for k, v in counts.items()}}, separators=(",", ":")
    ).encode()
