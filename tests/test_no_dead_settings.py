"""Settings and helpers nothing reads are gone; the sweep interval comes from settings."""

from django.conf import settings

from covidarnost.celery import app, use_settings_schedule
from requests import transitions


def test_no_setting_celery_does_not_know():
    # Celery's backoff limit is a task option (requests.tasks.TASK_OPTIONS), not a setting.
    assert not hasattr(settings, "CELERY_TASK_RETRY_BACKOFF_MAX")


def test_allowed_actions_helper_used_only_by_tests_is_gone():
    assert not hasattr(transitions, "allowed_actions")


def test_beat_sweeps_at_the_interval_of_the_settings(monkeypatch):
    monkeypatch.setitem(settings.MATCHING, "SWEEP_SECONDS", 17)
    schedule = app.conf.beat_schedule["sweep-matching"]
    monkeypatch.setitem(schedule, "schedule", schedule["schedule"])

    use_settings_schedule(app)

    assert app.conf.beat_schedule["sweep-matching"]["schedule"] == 17
