import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _fresh_rendition_cache():
    """Rolled-back tests reuse image ids, so a rendition cached by one test must not reach the next."""
    caches["renditions"].clear()
    yield


# Markers by where a test lives (pyproject.toml registers them; `make test-fast` leaves the slow ones out).
SLOW_DIRECTORIES = {"e2e", "deploy", "reliability"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        directory = item.path.parent.name
        if directory == "e2e":
            item.add_marker(pytest.mark.e2e)
        if directory in SLOW_DIRECTORIES:
            item.add_marker(pytest.mark.slow)
