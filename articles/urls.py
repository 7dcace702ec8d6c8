from django.urls import path, register_converter

from . import feeds, previews, views


class TwoDigitConverter:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:02d}"


class FourDigitConverter(TwoDigitConverter):
    regex = "[0-9]{4}"

    def to_url(self, value):
        return f"{value:04d}"


register_converter(TwoDigitConverter, "dd")
register_converter(FourDigitConverter, "yyyy")


def feed_paths(prefix, feed_class, name):
    """RSS at <prefix>/rss/ and Atom at <prefix>/atom/, named feed-<name>-rss/-atom."""
    return [
        path(f"{prefix}/rss/", feeds.conditional(feed_class), name=f"feed-{name}-rss"),
        path(
            f"{prefix}/atom/",
            feeds.conditional(feeds.atom(feed_class)),
            name=f"feed-{name}-atom",
        ),
    ]


app_name = "articles"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("search/", views.search, name="search"),
    path("preview/<str:token>/", previews.shared_preview, name="shared-preview"),
    *feed_paths("feeds", feeds.StoryFeed, "site"),
    *feed_paths("section/<slug:slug>", feeds.SectionFeed, "section"),
    *feed_paths("tag/<slug:slug>", feeds.TagFeed, "tag"),
    *feed_paths("people/<slug:slug>", feeds.PersonFeed, "person"),
    *feed_paths("authors/<slug:slug>", feeds.AuthorFeed, "author"),
    *feed_paths("organisations/<slug:slug>", feeds.OrganisationFeed, "organisation"),
    *feed_paths("countries/<slug:code>", feeds.CountryFeed, "country"),
]
