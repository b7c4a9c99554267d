"""Cross-cutting HTTP behaviour."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Pages for signed-in staff may hold personal data: never cache them (PR11, 剩余信息保护)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        # Decide before the view runs: logout turns the user anonymous, and its response must not be cached.
        signed_in = user is not None and user.is_authenticated
        response = self.get_response(request)
        if signed_in and not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class RequestContextMiddleware:
    """Binds actor, client IP and request id for the request (``wenming.core.context``); echoes the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import context  # deferred: settings are read per request (tests override them)

        ctx = context.from_request(request)
        request.request_id = ctx.request_id
        with context.bind(ctx):
            response = self.get_response(request)
        response["X-Request-ID"] = ctx.request_id
        return response
