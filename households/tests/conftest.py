import pytest
from django.utils import translation


@pytest.fixture
def english():
    """Messages in the source language, for tests that read them."""
    with translation.override("en"):
        yield
