"""OpenGraph's words for things: `og_locale`."""

from django import template
from django.conf import settings

register = template.Library()


# The territory a language's readers most often mean, for languages written
# without one ("en" → en_GB): OpenGraph's og:locale is language_TERRITORY.
# The newsroom's own language follows NEWSROOM_LOCALE instead.
LIKELY_TERRITORY = {
    "ar": "AR",  # OpenGraph's own code for Arabic
    "de": "DE",
    "en": "GB",
    "es": "ES",
    "fa": "IR",
    "fr": "FR",
    "he": "IL",
    "hi": "IN",
    "it": "IT",
    "ja": "JP",
    "ko": "KR",
    "nl": "NL",
    "pl": "PL",
    "pt": "PT",
    "ru": "RU",
    "sv": "SE",
    "tr": "TR",
    "uk": "UA",
    "zh": "CN",
}


@register.filter
def og_locale(language):
    """A language code ("en", "pt-br") as OpenGraph's locale ("en_GB", "pt_BR")."""
    language = (language or settings.LANGUAGE_CODE).lower()
    base, _, territory = language.replace("_", "-").partition("-")
    if territory:
        return f"{base}_{territory.upper()}"
    if base == settings.LANGUAGE_CODE.lower() and settings.NEWSROOM_LOCALE:
        return settings.NEWSROOM_LOCALE
    if base in LIKELY_TERRITORY:
        return f"{base}_{LIKELY_TERRITORY[base]}"
    return base
