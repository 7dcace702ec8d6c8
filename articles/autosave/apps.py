from django.apps import AppConfig


class AutosaveConfig(AppConfig):
    """Working copies of the story form: below the story code, which never imports here back."""

    name = "articles.autosave"
    label = "autosave"
    verbose_name = "Working copies"
