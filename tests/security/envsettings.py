"""The project's settings as a deployment with given environment variables gets
them: ``config/settings/base.py`` run again under that environment. Tests of how a
variable is honoured start here, so they fail if base.py stops reading it."""

import os
import runpy
from pathlib import Path
from unittest import mock

BASE_SETTINGS = Path(__file__).resolve().parents[2] / "config" / "settings" / "base.py"


def settings_for_environment(**environment: str) -> dict:
    """Every name base.py defines, with ``environment`` added to the process's."""
    with mock.patch.dict(os.environ, environment):
        return runpy.run_path(str(BASE_SETTINGS))
