from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """The security log: who signed in, who failed, and who changed whose access."""

    name = "people.security"
    label = "security"
    verbose_name = "Security log"

    def ready(self):
        from . import lockout, middleware, signals

        signals.connect()
        lockout.connect()
        middleware.connect()
