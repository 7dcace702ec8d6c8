from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read API: above the story code, which it reads and never changes."""

    name = "articles.api"
    label = "api"
    verbose_name = "Read API"
