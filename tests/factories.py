"""factory_boy factories for every model; tests build data with these, never by hand."""

import factory
from django.utils import timezone

from neighbors.models import Block, Group, Neighbor, Network
from requests.code_words import new_code_word
from requests.models import HelpRequest, Kind, Source
from users.models import Role, User
from volunteers.models import VerificationMethod, Volunteer, VolunteerStatus


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Сеть {n}")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Группа {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    city = "Санкт-Петербург"


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    group = factory.SubFactory(GroupFactory)
    code = factory.Sequence(lambda n: f"B{n:03d}")
    address = factory.Sequence(lambda n: f"Торжковская ул., д. {n + 1}")
    entrances = 4
    floors = 9
    latitude = factory.Sequence(lambda n: 59.985 + (n % 50) * 0.001)
    longitude = factory.Sequence(lambda n: 30.300 + (n % 50) * 0.001)


class NeighborFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbor

    block = factory.SubFactory(BlockFactory)
    name = factory.Sequence(lambda n: f"Иванова Мария Петровна {n}")
    flat = factory.Sequence(lambda n: str(n % 200 + 1))
    entrance = 1
    floor = 3
    phone = "+79111234567"
    notes = "Плохо слышит, звонить дважды"
    consent_to_contact = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pass-Word-123")
    group = factory.SubFactory(GroupFactory)
    role = Role.VOLUNTEER

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganizerFactory(UserFactory):
    role = Role.ORGANIZER
    is_staff = True


class CoordinatorFactory(UserFactory):
    """A network coordinator: a role in a network, no group, not a superuser."""

    role = Role.COORDINATOR
    is_staff = True
    group = None
    network = factory.SubFactory(NetworkFactory)


class OperatorFactory(UserFactory):
    role = Role.OPERATOR
    is_staff = True


class VolunteerFactory(factory.django.DjangoModelFactory):
    """A verified, available volunteer who accepted the safety rules."""

    class Meta:
        model = Volunteer

    user = factory.SubFactory(UserFactory, role=Role.VOLUNTEER)
    status = VolunteerStatus.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)
    verification_method = VerificationMethod.IN_PERSON
    safety_protocol_accepted_at = factory.LazyFunction(timezone.now)
    base_latitude = 59.986
    base_longitude = 30.301


class HelpRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpRequest

    neighbor = factory.SubFactory(NeighborFactory)
    block = factory.SelfAttribute("neighbor.block")
    kind = Kind.GROCERIES
    details = "Хлеб, молоко, гречка"
    source = Source.PAPER_FORM
    code_word = factory.LazyFunction(new_code_word)
