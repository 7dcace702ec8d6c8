from django.conf import settings


class ContentLanguageMiddleware:
    """Every response names its language: a story's own (set by its view) or the site's.

    Set explicitly rather than through LocaleMiddleware, which would add
    `Vary: Accept-Language` and make caches keep one copy per browser language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)
        return response
