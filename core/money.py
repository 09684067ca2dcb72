"""Money is whole đồng (integers); this is the one place that writes it for people."""

from decimal import Decimal

EMPTY = "—"


def format_dong(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, float | Decimal) and value != int(value):
        raise ValueError(f"Money is whole đồng, got {value!r}")
    amount = int(value)
    digits = f"{abs(amount):,}".replace(",", ".")
    return f"{'-' if amount < 0 else ''}{digits} đ"
