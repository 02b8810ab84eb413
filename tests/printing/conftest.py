import pytest

from tests import factories


@pytest.fixture
def group(db):
    return factories.GroupFactory(
        name="Чёрная речка", slug="chrechka", hotline_phone="+78123334455"
    )


@pytest.fixture
def block(group):
    return factories.BlockFactory(group=group, code="T1", address="Торжковская ул., д. 15")


def user_of(person):
    """The user of a role fixture: volunteer fixtures are profiles, the others users."""
    return getattr(person, "user", person)


HOTLINE_PRINTED = "8 (812) 333-44-55"
