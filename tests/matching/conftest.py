import pytest


@pytest.fixture(autouse=True)
def _block_at_a_fixed_place(request):
    """Distances in these tests are measured from block T1; factory sequences would move it."""
    if "block" in request.fixturenames:
        block = request.getfixturevalue("block")
        block.latitude, block.longitude = 59.985, 30.300
        block.save(update_fields=["latitude", "longitude"])
