"""The container files start the same processes CI tests: one image, one
entrypoint (bin/entrypoint), a web and a worker service, PostgreSQL and Redis."""

import re

import yaml
from django.conf import settings

ROOT = settings.BASE_DIR


def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_image_entrypoint_is_the_script_make_uses():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["bin/entrypoint"]' in dockerfile
    assert 'CMD ["web"]' in dockerfile
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in dockerfile
    makefile = (ROOT / "Makefile").read_text()
    for command in ("release --demo", "dev", "web", "worker"):
        assert re.search(rf"bin/entrypoint {command}\b", makefile), command


def test_compose_runs_web_worker_postgres_and_redis():
    services = compose()["services"]
    assert {"web", "worker", "db", "redis", "release"} <= set(services)
    assert services["web"]["command"] == ["web"]
    assert services["worker"]["command"] == ["worker"]
    assert services["release"]["command"] == ["release"]
    # Web and worker wait for migrations; the web port is for the local proxy only.
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["release"] == {
            "condition": "service_completed_successfully"
        }
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
    environment = services["web"]["environment"]
    assert environment["REDIS_URL"].startswith("redis://redis:")
    assert environment["DATABASE_URL"].startswith("postgres://")
    # No default secret: compose refuses to start without one.
    assert ":?" in environment["DJANGO_SECRET_KEY"]


def test_every_entrypoint_command_exists():
    script = (ROOT / "bin" / "entrypoint").read_text()
    for command in ("release", "web", "worker", "demo", "dev"):
        assert re.search(rf"^  {command}\)$", script, re.MULTILINE), command
