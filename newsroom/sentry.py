"""Optional error reporting to Sentry, the only module that imports sentry-sdk.

Called from the settings only when `SENTRY_DSN` is set, so an install without it
never starts the SDK.
"""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration


def init_sentry(dsn: str, *, environment: str, traces_sample_rate: float) -> None:
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        # Readers' and journalists' addresses, cookies and names stay here.
        send_default_pii=False,
    )
