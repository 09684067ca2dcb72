"""Citizen ID numbers never reach the logs."""

import logging

from django.conf import settings

from core.logging import MaskCitizenIds


def _record(msg, *args, exc_info=None):
    return logging.LogRecord("django.request", logging.WARNING, __file__, 1, msg, args, exc_info)


def test_an_id_number_in_a_message_or_its_arguments_is_masked():
    record = _record("Duplicate citizen_id %s for %s", "062176510010", "A Thiết")
    MaskCitizenIds().filter(record)
    assert record.getMessage() == "Duplicate citizen_id 0xx…010 for A Thiết"


def test_an_id_number_in_a_traceback_is_masked():
    try:
        raise ValueError("UNIQUE constraint failed: 062176510010")
    except ValueError as error:
        record = _record("Server error", exc_info=(type(error), error, error.__traceback__))
    MaskCitizenIds().filter(record)
    assert "062176510010" not in record.exc_text and "0xx…010" in record.exc_text


def test_other_numbers_are_left_alone():
    record = _record("Plan total 441000000 đ, household 01001, phone 0912345678")
    MaskCitizenIds().filter(record)
    assert record.getMessage() == "Plan total 441000000 đ, household 01001, phone 0912345678"


def test_every_configured_handler_masks():
    handlers = settings.LOGGING["handlers"]
    assert handlers and all("mask_citizen_ids" in handler.get("filters", []) for handler in handlers.values())


def test_the_root_loggers_handler_masks():
    configured = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    assert configured and all(
        any(isinstance(f, MaskCitizenIds) for f in handler.filters) for handler in configured
    )
