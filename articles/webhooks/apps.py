from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Signed webhooks to partners, and the outbox every after-commit message goes through."""

    name = "articles.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks and outbox"
