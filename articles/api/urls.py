from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"
urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("stories/", views.StoryListView.as_view(), name="story-list"),
    path("stories/lookup/", views.StoryLookupView.as_view(), name="story-lookup"),
    path("stories/<int:pk>/", views.StoryDetailView.as_view(), name="story-detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("sections/", views.SectionListView.as_view(), name="section-list"),
    path("sections/<slug:slug>/", views.SectionDetailView.as_view(), name="section-detail"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag-detail"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("authors/", views.AuthorListView.as_view(), name="author-list"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author-detail"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("countries/", views.CountryListView.as_view(), name="country-list"),
    path("countries/<slug:code>/", views.CountryDetailView.as_view(), name="country-detail"),
    path("corrections/", views.CorrectionListView.as_view(), name="correction-list"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar's static files; its start-up script
    # is a separate request (`?script`), so the page runs under `script-src 'self'`.
    path(
        "reference/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="reference"
    ),
    # [\s\S]: a path may hold an encoded newline, which "." would not match.
    re_path(r"^[\s\S]*$", views.NowhereView.as_view(), name="nowhere"),
]
