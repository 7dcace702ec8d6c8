from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("people/<slug:slug>/", views.PersonView.as_view(), name="person"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("organisations/<slug:slug>/", views.OrganisationView.as_view(), name="organisation"),
    path("countries/<slug:code>/", views.CountryView.as_view(), name="country"),
]
