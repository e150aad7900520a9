import pytest

from tests.conftest import Cast, ensure_reference_data


@pytest.fixture
def cast(db) -> Cast:
    """The shared cast; reference data is reloaded first when a transactional test (threads)
    flushed it earlier in a --reuse-db session."""
    ensure_reference_data()
    return Cast()


@pytest.fixture
def threads_db(keep_reference_data, transactional_db):
    """A transactional database for tests with threads, with the reference data loaded.

    Transactional tests flush every table, reference data included. `keep_reference_data` is
    set up before `transactional_db`, so it is torn down after the flush and loads the data
    again: the tests that follow (and a --reuse-db session) still find the regions."""
    ensure_reference_data()


@pytest.fixture
def keep_reference_data(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        ensure_reference_data()
