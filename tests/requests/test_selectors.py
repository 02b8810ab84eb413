import pytest

from requests.services import help_request_claim


@pytest.mark.django_db
def test_volunteer_claims_open_request(help_request, volunteer):
    help_request_claim(help_request=help_request, volunteer=volunteer)
    assert help_request.status == "claimed"
    assert help_request.volunteer == volunteer


@pytest.mark.django_db
def test_task_list_orders_mine_then_my_blocks_then_nearest(volunteer, block, group):
    from requests.selectors import tasks_for_volunteer
    from tests.factories import BlockFactory, HelpRequestFactory, NeighborFactory

    far = BlockFactory(group=group, latitude=60.05, longitude=30.40)
    near = BlockFactory(group=group, latitude=59.987, longitude=30.302)
    far_task = HelpRequestFactory(neighbor=NeighborFactory(block=far))
    near_task = HelpRequestFactory(neighbor=NeighborFactory(block=near))
    own_block_task = HelpRequestFactory(neighbor=NeighborFactory(block=block))
    held = HelpRequestFactory(neighbor=NeighborFactory(block=far))
    help_request_claim(help_request=held, volunteer=volunteer)

    tasks = list(tasks_for_volunteer(volunteer=volunteer))
    assert [t.pk for t in tasks] == [held.pk, own_block_task.pk, near_task.pk, far_task.pk]
    assert tasks[2].distance_m < tasks[3].distance_m
