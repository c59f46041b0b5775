"""The mail benchmark's own checks run in CI on a small list, so they cannot rot:
every recipient sent to once, and after a sender is SIGKILLed halfway and a
fresh one started, nobody missed and nobody sent the update twice."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.long


def test_the_mail_benchmark_runs_and_its_checks_pass(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "TASKS_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", BENCH_MAIL_N="1000")
    result = subprocess.run(  # noqa: S603 - the project's own script
        [sys.executable, str(settings.BASE_DIR / "bench" / "mail.py")],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    figures = json.loads(
        (settings.BASE_DIR / "bench" / "output" / "mail.json").read_text()
    )
    assert figures["sent"] == {"small": 100, "large": 1000}
    assert figures["sink"]["duplicates"] == 0
    # The kill landed while the sender was at it, and the restart finished.
    assert figures["resume"]["killed_after"] < figures["resume"]["size"]
    assert figures["resume"]["sent_after_restart"] > 0
    assert figures["resume"]["missing"] <= 1
    assert figures["resume"]["received"] >= figures["resume"]["sent_total"]
