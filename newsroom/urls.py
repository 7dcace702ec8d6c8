from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles import sitemaps
from newsroom import icons

# Django's own 500 page, told whether anybody hears about the error (newsroom/errors.py).
handler500 = "newsroom.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.api.urls")),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("favicon.ico", icons.favicon, name="favicon"),
    path("site.webmanifest", icons.web_manifest, name="web-manifest"),
    path("sitemap.xml", sitemaps.index, name="sitemap-index"),
    path("sitemap-news.xml", sitemaps.news, name="sitemap-news"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap, name="sitemap"),
    path("", include("people.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
