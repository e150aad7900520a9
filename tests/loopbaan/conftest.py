import pytest

from tests.conftest import Cast, ensure_reference_data


@pytest.fixture
def cast(db) -> Cast:
    """The shared cast; reference data is reloaded first when a transactional test (threads)
    flushed it earlier in a --reuse-db session."""
    ensure_reference_data()
    return Cast()
