"""What every part of a generated data set shares (`manage.py generate_province`): the run's seeded
random, its years, its progress lines and counts, and tables written in bulk.

The big tables are written with ids assigned here, by COPY on PostgreSQL (psycopg 3) and by
executemany on SQLite, without building model instances.
"""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, models

BATCH = 20_000


@dataclass
class Run:
    random: random.Random
    years: list[int]
    progress: Callable[[str], None]
    counts: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def say(self, text: str):
        self.progress(f"[{time.monotonic() - self.started:6.1f} s] {text}")


class BulkTable:
    """Rows of one model's table, with ids taken from the table's current maximum."""

    def __init__(self, model: type[models.Model], fields: list[str]):
        self.model = model
        self.fields = fields
        self.columns = ["id", *(model._meta.get_field(name).column for name in fields)]
        self.next_id = (model.objects.aggregate(top=models.Max("id"))["top"] or 0) + 1
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, *values) -> int:
        row_id = self.next_id
        self.next_id += 1
        self.rows.append((row_id, *values))
        if len(self.rows) >= BATCH:
            self.flush()
        return row_id

    def flush(self):
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})", [_sqlite(r) for r in self.rows]
                )
        self.written += len(self.rows)
        self.rows = []


def _sqlite(row):
    return tuple(
        value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(value, datetime.datetime)
        else value.isoformat()
        if isinstance(value, datetime.date)
        else value
        for value in row
    )


def reset_sequences(models_written):
    """After ids written by hand, the next record made the usual way gets the next free id."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_written):
            cursor.execute(sql)
