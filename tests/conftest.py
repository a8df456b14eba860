import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _fresh_rendition_cache():
    """Rolled-back tests reuse image ids, so a rendition cached by one test must not reach the next."""
    caches["renditions"].clear()
    yield
