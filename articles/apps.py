from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            signals,
        )

        signals.connect()

        from newsroom import furniture

        furniture.connect()

        from . import surrogates

        surrogates.connect()

        from . import related

        related.connect()
