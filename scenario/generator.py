"""A realistic, seeded province for measuring the pages at scale (`manage.py generate_province`):
each app generates its own tables (communes, households, assistance `generator.py`), in one
transaction. Same seed, same province."""

import random
from collections.abc import Callable

from django.db import connection, transaction

from assistance.generator import generate_assistance
from communes.generator import generate_geography
from core.generation import Run
from households.generator import generate_households


def generate_province(
    *, communes: int, households: int, years: int, seed: int, code: str, progress: Callable[[str], None]
) -> dict[str, int]:
    """The rows written, by table; reviews cover the last `years` years, up to 2025."""
    run = Run(random=random.Random(seed), years=list(range(2026 - years, 2026)), progress=progress)
    with transaction.atomic():
        made = generate_geography(run, code=code, communes=communes)
        generate_households(run, made, households=households, province_code=code)
        generate_assistance(run, made)
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner takes the tables as empty; outside a transaction also
        # the visibility map that index-only scans need, as on a database that has settled.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    run.say("done")
    return run.counts
