"""The 500 handler: an outage of the database (or of Redis, where it is used directly) answers 503.

Django calls ``handler500`` inside its exception handler, so ``sys.exc_info()`` names the cause. The
pages are self-contained templates (no context processors, no database), because the database may be
the thing that is down.
"""

from __future__ import annotations

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("wenming.errors")
RETRY_AFTER_SECONDS = 30


def is_outage(exc: BaseException | None) -> bool:
    """A backing service did not answer (connection refused, timed out, file unavailable)."""
    if exc is None:
        return False
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    try:
        import redis

        if isinstance(exc, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
            return True
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    return isinstance(exc, DatabaseError) and "connection" in str(exc).lower()


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    exc = sys.exc_info()[1]
    if is_outage(exc):
        logger.error("服务暂不可用（%s）：%s", type(exc).__name__, exc)
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponse(loader.get_template(template_name).render(), status=500)
    response["Cache-Control"] = "no-store"
    return response
