"""Batch printing: the admin action on blocks, the Celery task, the progress page, the file."""

from unittest import mock

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from printing import documents, services
from printing.models import PrintBatch, PrintBatchStatus
from requests.models import PaperForm
from tests import factories
from tests.printing.conftest import HOTLINE_PRINTED, user_of
from tests.printing.pdf import read_pdf

CHANGELIST = "/admin/neighbors/block/"


@pytest.fixture
def second_block(group):
    return factories.BlockFactory(group=group, code="T2", address="Белоостровская ул., д. 8")


@pytest.fixture
def order(client, django_capture_on_commit_callbacks):
    """Post the admin action; the task runs after the commit (eagerly, as in the demo)."""

    def post(blocks, forms_per_block="2"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                CHANGELIST,
                {
                    "action": "print_flyers_and_forms",
                    ACTION_CHECKBOX_NAME: [str(b.pk) for b in blocks],
                    "apply": "1",
                    "forms_per_block": forms_per_block,
                },
            )

    return post


def test_action_asks_how_many_forms_first(client, order, organizer, block):
    client.force_login(organizer)
    response = client.post(
        CHANGELIST, {"action": "print_flyers_and_forms", ACTION_CHECKBOX_NAME: [str(block.pk)]}
    )
    assert response.status_code == 200
    assert 'name="forms_per_block"' in response.content.decode()
    assert not PrintBatch.objects.exists()


def test_operator_orders_a_batch_and_downloads_one_pdf(
    client, order, operator, block, second_block, django_assert_max_num_queries
):
    client.force_login(operator)
    response = order([block, second_block])
    batch = PrintBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/print/batches/{batch.pk}/"
    # Celery runs eagerly in tests: the batch is made by the time the action returns.
    assert (batch.status, batch.blocks_done, batch.blocks_total) == ("done", 2, 2)
    assert batch.requested_by == operator
    serials = list(PaperForm.objects.order_by("pk").values_list("pk", "block__code"))
    assert [code for _pk, code in serials] == ["T1", "T1", "T2", "T2"]

    with django_assert_max_num_queries(6):
        page = client.get(f"/print/batches/{batch.pk}/")
    body = page.content.decode()
    assert f"/print/batches/{batch.pk}/download.pdf" in body
    assert 'http-equiv="refresh"' not in body
    assert "<script>" not in body  # no inline script: a CSP without it is coming

    download = client.get(f"/print/batches/{batch.pk}/download.pdf")
    assert download["Content-Type"] == "application/pdf"
    pages = read_pdf(b"".join(download.streaming_content))
    assert len(pages) == 6  # per block: a flyer and two forms
    assert "Соседи помогают соседям" in pages[0].text
    assert "Торжковская ул., д. 15" in pages[0].text
    assert "Белоостровская ул., д. 8" in pages[3].text
    for (serial, _code), page in zip(serials, pages[1:3] + pages[4:6], strict=True):
        assert f"№ {serial}" in page.text
        assert HOTLINE_PRINTED in page.text
    assert min(page.min_char_size for page in pages) >= 14


def test_the_task_gets_the_batch_id_only(client, order, organizer, block):
    client.force_login(organizer)
    with mock.patch("printing.tasks.render_print_batch.apply_async") as enqueue:
        order([block])
    batch = PrintBatch.objects.get()
    enqueue.assert_called_once_with(args=(str(batch.pk),))
    assert batch.status == PrintBatchStatus.PENDING
    body = client.get(f"/print/batches/{batch.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in body
    assert "download.pdf" not in body
    assert client.get(f"/print/batches/{batch.pk}/download.pdf").status_code == 404


def test_a_finished_batch_is_not_made_twice(client, order, organizer, block):
    client.force_login(organizer)
    order([block])
    batch = PrintBatch.objects.get()
    services.print_batch_render(batch_id=batch.pk)
    assert PaperForm.objects.count() == 2


def test_a_failure_marks_the_batch_failed(client, order, organizer, block):
    client.force_login(organizer)
    with mock.patch.object(documents, "render_pages_pdf", side_effect=RuntimeError("boom")):
        order([block])
    batch = PrintBatch.objects.get()
    assert batch.status == PrintBatchStatus.FAILED
    assert "PDF не удалось сделать" in client.get(f"/print/batches/{batch.pk}/").content.decode()


def test_too_many_forms_are_refused_next_to_the_field(client, order, organizer, block):
    client.force_login(organizer)
    response = order([block], forms_per_block="51")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not PrintBatch.objects.exists()


def test_blocks_of_two_groups_are_refused(client, order, coordinator, block, other_block):
    client.force_login(coordinator)
    response = order([block, other_block])
    assert response.status_code == 302
    assert not PrintBatch.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("одной группы" in m for m in messages)


def test_no_hotline_refuses_the_batch(client, order, organizer, block):
    block.group.hotline_phone = ""
    block.group.save()
    client.force_login(organizer)
    order([block])
    assert not PrintBatch.objects.exists()


@pytest.mark.parametrize(
    "role",
    ["volunteer", "other_organizer", "outsider_volunteer", "network_coordinator", None],
)
def test_everyone_else_gets_404_for_the_page_and_the_file(
    client, order, request, organizer, block, role
):
    client.force_login(organizer)
    order([block])
    batch = PrintBatch.objects.get()
    client.logout()
    if role:
        client.force_login(user_of(request.getfixturevalue(role)))
    assert client.get(f"/print/batches/{batch.pk}/").status_code == 404
    assert client.get(f"/print/batches/{batch.pk}/download.pdf").status_code == 404


def test_volunteers_cannot_order_a_batch(volunteer, block):
    from requests.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        services.print_batch_create(
            blocks=[block], forms_per_block=1, actor=volunteer.user, language="ru"
        )
