import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts without cached PDFs, so it sees what its own data renders."""
    cache.clear()
    yield
    cache.clear()
