"""Security tests read English texts and use the API helpers (token clients per role)."""

import pytest

from tests.api.conftest import _clean_cache, client_for  # noqa: F401  (fixtures)
from tests.volunteers.conftest import volunteer_client  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
