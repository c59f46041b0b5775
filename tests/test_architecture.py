"""What may import what (docs/architecture.md): the import-linter contracts in
pyproject.toml hold, and each kind of breach would be caught.

Import-linter reads every import statement, those inside functions too, so a
lazy import cannot sneak a dependency past it. The breach tests copy the project's
packages, add one forbidden import to the copy and check that ``lint-imports``
fails on it, naming the contract it breaks."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("network", "updates", "campaign", "cms", "api", "ops", "config")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603  (our own tool, fixed arguments)
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_project_keeps_every_import_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout


BREACHES = [
    # The directory reaching up into the campaign, lazily inside a function.
    (
        "network/selectors.py",
        "def _stance():\n    from campaign.selectors import overview\n\n"
        "    return overview\n",
        "Apps depend downwards only",
    ),
    # The mailing list reaching up into the campaign site.
    (
        "updates/services.py",
        "from cms.models import HomePage  # noqa\n",
        "Apps depend downwards only",
    ),
    # Production plumbing depending on an app.
    (
        "ops/cache.py",
        "def _people():\n    from network.models import Person\n\n    return Person\n",
        "Apps depend downwards only",
    ),
    # The two top apps are siblings, neither uses the other.
    (
        "api/selectors.py",
        "from cms import selectors as cms_selectors  # noqa\n",
        "Apps depend downwards only",
    ),
    # A higher app using a lower app's views, urls or admin.
    (
        "campaign/services.py",
        "from updates import views  # noqa\n",
        "campaign uses no other app's views, urls or admin",
    ),
    (
        "api/serializers.py",
        "def _page():\n    from campaign.views import index\n\n    return index\n",
        "api uses no other app's views, urls or admin",
    ),
    (
        "cms/demo.py",
        "from network.wagtail_hooks import PersonViewSet  # noqa\n",
        "cms uses no other app's views, urls or admin",
    ),
    # The cms circle coming back: a page model importing what renders it.
    (
        "cms/models/pages.py",
        "def _listing(root):\n    from cms import selectors\n\n"
        "    return selectors.statement_list(root=root)\n",
        "cms page models import nothing that renders them",
    ),
    (
        "cms/models/events.py",
        "def _serve(request, page):\n    from cms.views import event_page_serve\n\n"
        "    return event_page_serve(request, page)\n",
        "cms page models import nothing that renders them",
    ),
]


@pytest.mark.parametrize(
    ("path", "code", "contract"), BREACHES, ids=[b[0] for b in BREACHES]
)
def test_a_forbidden_import_breaks_its_contract(tmp_path, path, code, contract):
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    target = tmp_path / path
    target.write_text(target.read_text() + "\n\n" + code)

    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout, result.stdout
