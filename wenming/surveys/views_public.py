"""The public outlet survey (QR code → /p/surveys/o/<signed outlet>/), mobile-first, no login.

Anonymous by design: no name, phone or waybill is asked; the browser gets a random device cookie whose
keyed hash is stored with the response, so one device answers one outlet once a day (the database's
unique constraint decides; a second attempt gets a polite refusal). Submissions are rate-limited per
client address and outlet and per address (``core.ratelimit``).
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wenming.core import ratelimit
from wenming.core.context import client_ip
from wenming.core.errors import ApplicationError
from wenming.web.responses import stored_page

from . import scoring, services
from .choices import Dimension, QuestionKind

LIMIT_NAME = "surveys.submit"
DEFAULT_LIMITS = {"ip_outlet": (60, 3600), "ip": (600, 3600)}  # generous: mobile networks share addresses
COOKIE_AGE = 400 * 24 * 3600


def _limits(request, outlet_id: int) -> list[ratelimit.KeySpec]:
    conf = {**DEFAULT_LIMITS, **getattr(settings, "WENMING_SURVEY_RATE_LIMITS", {})}
    if getattr(settings, "WENMING_BENCH_ENDPOINTS", False):  # the benchmark: all load comes from 127.0.0.1
        conf = {k: (n * 1000, w) for k, (n, w) in conf.items()}
    ip = client_ip(request)
    return [
        ("ip-outlet", f"{ip}:{outlet_id}", *conf["ip_outlet"]),
        ("ip", ip, *conf["ip"]),
    ]


def _view_questions(questions, answers, errors):
    out = []
    last_dim = None
    for q in questions:
        section = ""
        if q.dimension and q.dimension != last_dim:
            section = Dimension(q.dimension).label
        last_dim = q.dimension or last_dim
        value = answers.get(q.key)
        out.append(
            {
                "q": q,
                "section": section,
                "name": f"q_{q.key}",
                "error": errors.get(q.key, ""),
                "value": value if not isinstance(value, list) else "",
                "values": value if isinstance(value, list) else [],
                "scale": list(q.scale_values) if q.kind in (QuestionKind.RATING5, QuestionKind.RATING10) else [],
                "hidden": not scoring.is_shown(q, answers) if q.show_if_key else False,
            }
        )
    return out


def _with_cookie(response, token: str, fresh: bool):
    if fresh:
        response.set_cookie(
            services.DEVICE_COOKIE,
            token,
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def outlet_survey(request, token: str):
    try:
        outlet_id = services.outlet_from_token(token)
    except ApplicationError as exc:
        return render(request, "surveys/public/invalid.html", {"message": exc.message}, status=404)
    info = services.outlet_info(outlet_id)
    fq = services.questionnaire_for(info) if info is not None else None
    if info is None or not info.open or fq is None:
        return render(request, "surveys/public/invalid.html", {"message": _("该网点暂不接受评价")}, status=404)
    device = request.COOKIES.get(services.DEVICE_COOKIE, "")
    fresh = not (8 <= len(device) <= 64)
    if fresh:
        device = services.new_device_token()
    ctx = {"info": info, "fq": fq}
    # The blank form, the thanks and the "already answered" page show nothing of the visitor: stored per
    # process (web.stored_page), keyed by the outlet and questionnaire they show.
    key = (outlet_id, fq.id)
    if request.method == "GET":
        if not fresh and services.already_answered(outlet_id=outlet_id, device_token=device):
            return _with_cookie(stored_page(request, "surveys/public/already.html", ctx, key=key), device, fresh)
        ctx["questions"] = _view_questions(fq.questions, {}, {})
        return _with_cookie(stored_page(request, "surveys/public/survey.html", ctx, key=key), device, fresh)
    decision = ratelimit.limit(LIMIT_NAME, _limits(request, outlet_id))
    if decision.blocked:
        resp = render(request, "surveys/public/limited.html", ctx, status=429)
        resp["Retry-After"] = str(decision.retry_after or 60)
        return resp
    try:
        services.response_submit(info=info, questionnaire=fq, device_token=device, data=request.POST)
    except scoring.AnswerErrors as exc:
        answers = {}
        for q in fq.questions:
            if q.kind == QuestionKind.MULTIPLE:
                answers[q.key] = request.POST.getlist(f"q_{q.key}")
            elif request.POST.get(f"q_{q.key}"):
                raw = request.POST.get(f"q_{q.key}")
                answers[q.key] = int(raw) if raw.isdigit() and q.kind != QuestionKind.TEXT else raw
        ctx["questions"] = _view_questions(fq.questions, answers, exc.errors)
        ctx["has_errors"] = True
        return _with_cookie(render(request, "surveys/public/survey.html", ctx, status=422), device, fresh)
    except services.AlreadyAnswered:
        already = stored_page(request, "surveys/public/already.html", ctx, key=key, status=409)
        return _with_cookie(already, device, fresh)
    return _with_cookie(stored_page(request, "surveys/public/thanks.html", ctx, key=key), device, fresh)
