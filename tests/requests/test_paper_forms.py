"""Serials of printed forms: issued per block, checked at intake."""

from django.utils import translation

from requests.paper_forms import paper_form_problem, paper_form_used_by, paper_forms_issue
from tests import factories


def test_issued_serials_are_new_and_belong_to_the_block(block, organizer):
    first = paper_forms_issue(block=block, count=3, actor=organizer)
    second = paper_forms_issue(block=block, count=2, actor=organizer)
    serials = [form.pk for form in first + second]
    assert len(set(serials)) == 5 and all(serials)
    assert all(paper_form_problem(block=block, serial=str(s)) is None for s in serials)


def test_a_serial_of_another_block_or_never_printed_is_refused(block, other_block, organizer):
    (form,) = paper_forms_issue(block=other_block, count=1, actor=organizer)
    with translation.override("en"):
        assert "another block" in paper_form_problem(block=block, serial=str(form.pk))
        assert "No form" in paper_form_problem(block=block, serial=str(form.pk + 1000))
        assert "digits" in paper_form_problem(block=block, serial="12a")


def test_used_serial_finds_the_request(block, organizer, neighbor):
    (form,) = paper_forms_issue(block=block, count=1, actor=organizer)
    assert paper_form_used_by(serial=str(form.pk)) is None
    request = factories.HelpRequestFactory(neighbor=neighbor, form_serial=str(form.pk))
    assert paper_form_used_by(serial=f" {form.pk} ") == request
