"""System checks for the articles app."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.checks import Warning, register


@register()
def check_publisher_logo(app_configs, **kwargs):
    """Structured data names a publisher logo: warn when its file is missing."""
    logo = getattr(settings, "NEWSROOM_PUBLISHER_LOGO", "")
    if logo and finders.find(logo):
        return []
    return [
        Warning(
            f"The publisher logo “{logo}” is not among the static files.",
            hint="Add the PNG under static/ or point NEWSROOM_PUBLISHER_LOGO at it; "
            "search engines want it in every story's structured data "
            "(docs/structured-data.md).",
            id="articles.W001",
        )
    ]
