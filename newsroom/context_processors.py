from django.conf import settings

from .furniture import SiteFurniture


def publication(request):
    """The publication's name and follow link, for every template."""
    return {
        "publication_name": settings.NEWSROOM_PUBLICATION_NAME,
        "google_news_url": settings.NEWSROOM_GOOGLE_NEWS_URL,
        "site_url": settings.NEWSROOM_SITE_URL,
        "furniture": SiteFurniture(request.path),
    }
