"""`check --deploy` passes with the production environment docs/deploy.md lists."""

import re
import secrets
import subprocess
import sys

from tests.test_settings import ROOT, clean_environment

DEPLOY_DOC = ROOT / "docs" / "deploy.md"


def documented_production_environment():
    """The variables of docs/deploy.md's dotenv block; a `<placeholder>` is made up."""
    [block] = re.findall(r"```dotenv\n(.*?)```", DEPLOY_DOC.read_text(), re.S)
    env = {}
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, value = line.split("=", 1)
        env[name] = secrets.token_urlsafe(50) if re.fullmatch(r"<.*>", value) else value
    return env


def test_the_documented_environment_lists_the_https_settings():
    env = documented_production_environment()
    assert env["DJANGO_SSL_REDIRECT"] == "1"
    assert int(env["DJANGO_HSTS_SECONDS"]) >= 31536000
    assert "DJANGO_DEBUG" not in env


def test_check_deploy_reports_nothing_with_the_documented_production_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean_environment(), **documented_production_environment()},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_still_warns_without_https_settings():
    """The test above passes because of the documented settings, not despite them."""
    env = documented_production_environment()
    for name in ("DJANGO_SSL_REDIRECT", "DJANGO_HSTS_SECONDS"):
        env.pop(name)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean_environment(), **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout
