"""`manage.py check` refuses a purge backend that could not send: a misconfigured
backend would otherwise only show as warnings after each editor's change."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.caches)
def purge_backend_is_configured(app_configs, **kwargs):
    from .backends import backend

    try:
        backend()
    except (ImproperlyConfigured, ImportError) as error:
        return [checks.Error(str(error), id="pagecache.E001")]
    return []
