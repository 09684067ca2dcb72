"""Administrative documents (Decree 30/2020/NĐ-CP): the dated place line and the heading's parts."""

import datetime


def place_and_date(place: str, day: datetime.date) -> str:
    """ "Kon Tum, ngày 22 tháng 8 năm 2022"; days below 10 and months 1–2 get a leading 0."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text[0].upper() + text[1:]
