"""Logging that never writes a citizen ID number: every run of 12 digits is masked ("0xx…789")."""

import logging
import re

from core.citizen_id import mask

TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")


def masked(text: str) -> str:
    return TWELVE_DIGITS.sub(lambda match: mask(match.group()), text)


class MaskCitizenIds(logging.Filter):
    """On a handler: the message is formatted once here, masked, and passed on without arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if TWELVE_DIGITS.search(message):
            record.msg, record.args = masked(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = masked(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = masked(record.exc_text)
        return True
