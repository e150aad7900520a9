import pytest

from tests.conftest import ensure_reference_data


@pytest.fixture
def threads_db(transactional_db):
    """A transactional database for tests with threads, with the reference data loaded
    (tests/conftest.py loads it again after the flush that ends such a test)."""
    ensure_reference_data()
