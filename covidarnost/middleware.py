"""Response headers that keep personal data out of browser and proxy caches."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response the app itself builds.

    Pages, API answers, receipt photos and admin screens may all carry residents' names, flats
    and phones; a shared or seized device must not keep a copy. The simplest rule that is
    sound is "every dynamic response": static files never reach this middleware (WhiteNoise
    answers them first, with their own long cache), and the few anonymous pages (sign-in)
    lose nothing by not being cached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A view that already said no-store has chosen its exact header; keep it.
        if "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response
