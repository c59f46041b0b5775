"""Backups restore: bin/backup, then bin/restore into a scratch database, give the
same rows in every table and the same media files (docs/operations.md)."""

import os
import subprocess

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

from network.models import Area

pytestmark = pytest.mark.django_db


def conninfo(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}"


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        ]
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


@pytest.fixture
def scratch_database():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need DATABASE_URL=postgres")
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = conninfo("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield conninfo(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )


def run(script, *args, env):
    return subprocess.run(  # noqa: S603
        [str(settings.BASE_DIR / "bin" / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )


def test_backup_restores_every_row_and_the_media(scratch_database, tmp_path):
    source = conninfo(connection.settings_dict["NAME"])
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "minutes.pdf").write_bytes(b"%PDF-1.4 minutes")

    backup = run(
        "backup",
        str(tmp_path / "backups"),
        env={"DATABASE_URL": source, "MEDIA_ROOT": str(media)},
    ).stdout.strip()
    assert (tmp_path / "backups").iterdir()
    assert oct(os.stat(backup).st_mode & 0o777) == "0o700"

    restored_media = tmp_path / "restored-media"
    run(
        "restore",
        backup,
        "--media",
        env={"DATABASE_URL": scratch_database, "MEDIA_ROOT": str(restored_media)},
    )

    before, after = row_counts(source), row_counts(scratch_database)
    assert after == before
    # The comparison means something: the UK areas and Wagtail's tables are there.
    assert after["network_area"] == Area.objects.count() > 9000
    assert after["django_migrations"] > 50
    assert sum(1 for count in after.values() if count) > 10
    assert (restored_media / "documents" / "minutes.pdf").read_bytes() == (
        b"%PDF-1.4 minutes"
    )


def test_a_damaged_backup_is_refused(scratch_database, tmp_path):
    source = conninfo(connection.settings_dict["NAME"])
    backup = run(
        "backup",
        str(tmp_path),
        env={"DATABASE_URL": source, "MEDIA_ROOT": "/nonexistent"},
    ).stdout.strip()
    with open(os.path.join(backup, "database.dump"), "r+b") as dump:
        dump.seek(100)
        dump.write(b"\0" * 16)
    with pytest.raises(subprocess.CalledProcessError) as failure:
        run("restore", backup, env={"DATABASE_URL": scratch_database})
    assert "FAILED" in failure.value.stdout + failure.value.stderr
    assert row_counts(scratch_database) == {}
