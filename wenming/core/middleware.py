"""Cross-cutting HTTP behaviour."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Pages for signed-in staff may hold personal data: never cache them (PR11, 剩余信息保护)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response
