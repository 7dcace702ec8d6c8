"""On a machine without Chromium, `make test` must not pass for a full run."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_run_without_chromium_ends_by_saying_the_browser_tests_were_skipped():
    environment = {**os.environ, "NEWSROOM_CHROMIUM": "/nonexistent/chromium"}
    environment.pop("NEWSROOM_REQUIRE_BROWSER", None)
    run = subprocess.run(
        # As `make test` runs it: spread over workers, whose reports reach the summary.
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "2",
            "-p",
            "no:cacheprovider",
            "tests/browser/test_smoke.py",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    last_lines = run.stdout.strip().splitlines()[-4:]
    assert run.returncode == 0, run.stdout + run.stderr
    assert any("browser tests were SKIPPED" in line for line in last_lines), last_lines
    assert any("apt-get install chromium" in line for line in last_lines), last_lines
