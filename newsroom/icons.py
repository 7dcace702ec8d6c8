"""The site's icons where browsers and phones look for them.

Browsers ask for `/favicon.ico` at the root whatever the page says, and a phone
adding the site to its home screen reads the web app manifest; both point at
the icons in static/img/, under their hashed names in production.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    # Not permanent: the hashed name it points at changes with the icon.
    return redirect(static("img/favicon.ico"))


@require_safe
@cache_control(public=True, max_age=86400)
def web_manifest(request):
    name = settings.NEWSROOM_PUBLICATION_NAME
    return JsonResponse(
        {
            "name": name,
            "short_name": name[:12],
            "start_url": "/",
            "display": "browser",
            "background_color": "#fdfcfa",
            "theme_color": "#161616",
            "icons": [
                {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            ],
        },
        content_type="application/manifest+json",
    )
