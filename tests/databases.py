"""For tests of the database itself: which engine runs them, a connection cut as a server restart does."""

import pytest
from django.conf import settings
from django.db import connection

postgres_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="dropping a server connection is a PostgreSQL matter",
)


def terminate(pid: int) -> None:
    """Ends the server process of connection `pid`, from a second connection."""
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("select pg_terminate_backend(%s)", [pid])
