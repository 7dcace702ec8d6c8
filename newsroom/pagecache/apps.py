from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "newsroom.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 (registers the check)
