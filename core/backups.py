"""Backup and restore of the whole database: SQLite's online backup, or pg_dump / pg_restore."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from django.db.migrations.recorder import MigrationRecorder


class BackupError(Exception):
    pass


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _postgres_environment() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    arguments = ["--dbname", db["NAME"]]
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return arguments, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def default_suffix() -> str:
    return ".sqlite3" if _is_sqlite() else ".dump"


def _private_file(destination: Path) -> None:
    """Creates `destination` readable by its owner only (it holds personal data), before it is written."""
    if not destination.parent.exists():
        destination.parent.mkdir(mode=0o700, parents=True)
    os.close(os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    destination.chmod(0o600)


def backup(destination: Path) -> Path:
    """Writes a consistent copy of the database to `destination` while the site keeps running."""
    _private_file(destination)
    if _is_sqlite():
        connection.ensure_connection()
        target = sqlite3.connect(destination)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        arguments, env = _postgres_environment()
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(destination), *arguments], env)
    return destination


def _migrations_in_sqlite(origin: sqlite3.Connection) -> set[tuple[str, str]]:
    try:
        return set(origin.execute("select app, name from django_migrations").fetchall())
    except sqlite3.DatabaseError:
        return set()


def _migrations_in_dump(source: Path) -> set[tuple[str, str]]:
    arguments, env = _postgres_environment()
    if shutil.which("pg_restore") is None:
        raise BackupError("pg_restore is not installed (Debian: apt-get install postgresql-client).")
    listing = subprocess.run(
        ["pg_restore", "--data-only", "--table=django_migrations", "--file=-", str(source)],
        env=env,
        capture_output=True,
        text=True,
    )
    if listing.returncode != 0:
        raise BackupError(f"{source} is not a PostgreSQL backup: {listing.stderr.strip()}")
    rows, copying = set(), False
    for line in listing.stdout.splitlines():
        if line.startswith("COPY ") and "django_migrations" in line:
            copying = True
        elif copying and line == "\\.":
            copying = False
        elif copying:
            columns = line.split("\t")
            rows.add((columns[1], columns[2]))
    return rows


def check_schema(in_backup: set[tuple[str, str]]) -> None:
    """Refuses a backup whose database was at another schema version than this installation's."""
    here = set(MigrationRecorder(connection).applied_migrations())
    if not in_backup:
        raise BackupError("This file holds no commune-assist database (it has no migration records).")
    if in_backup != here:
        newer, older = len(in_backup - here), len(here - in_backup)
        raise BackupError(
            "This backup was made at another schema version than this installation's "
            f"({newer} migration(s) only in the backup, {older} only here). Restore it with the version "
            "of commune-assist that made it, or bring both to the same version first."
        )


def restore(source: Path) -> None:
    """Replaces the whole database with the backup in `source`, if it has this installation's schema."""
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    if _is_sqlite():
        try:
            origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            origin.execute("select count(*) from sqlite_master").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not an SQLite backup: {error}") from error
        try:
            check_schema(_migrations_in_sqlite(origin))
        except BackupError:
            origin.close()
            raise
        connection.ensure_connection()
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    else:
        check_schema(_migrations_in_dump(source))
        arguments, env = _postgres_environment()
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *arguments,
                str(source),
            ],
            env,
        )
