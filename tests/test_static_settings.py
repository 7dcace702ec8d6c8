"""Production serves hashed, long-cached static files through WhiteNoise; tests and development don't."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = (
    "import json, newsroom.settings as s;"
    "print(json.dumps({'storage': s.STORAGES['staticfiles']['BACKEND'],"
    "'whitenoise': s.MIDDLEWARE[1] == 'whitenoise.middleware.WhiteNoiseMiddleware'}))"
)


def static_settings(**env):
    """The static-file settings a fresh interpreter loads with only `env` set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
    clean.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_serves_hashed_static_files_through_whitenoise():
    assert static_settings(DJANGO_SECRET_KEY="k") == {
        "storage": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "whitenoise": True,
    }


def test_development_reads_the_source_static_files():
    assert static_settings(DJANGO_DEBUG="1")["storage"] == (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )


def test_hashed_static_files_can_be_switched_off_by_environment():
    assert static_settings(DJANGO_SECRET_KEY="k", NEWSROOM_HASHED_STATIC="0") == {
        "storage": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "whitenoise": False,
    }
