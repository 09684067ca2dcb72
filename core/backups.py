"""Backup and restore of the whole database: SQLite's online backup, or pg_dump / pg_restore."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


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


def backup(destination: Path) -> Path:
    """Writes a consistent copy of the database to `destination` while the site keeps running."""
    destination.parent.mkdir(parents=True, exist_ok=True)
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


def restore(source: Path) -> None:
    """Replaces the whole database with the backup in `source`."""
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    if _is_sqlite():
        try:
            origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            origin.execute("select count(*) from sqlite_master").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not an SQLite backup: {error}") from error
        connection.ensure_connection()
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    else:
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
