"""Celery work of onboarding: the emailed password link, sent off the request's thread so the
"forgot password" page answers as fast for a registered phone as for an unknown one."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.db import InterfaceError, OperationalError

from onboarding.services import password_link_email
from users.models import User

EMAIL_PASSWORD_LINK = "onboarding.email_password_link"  # noqa: S105 - a task name


@shared_task(
    name=EMAIL_PASSWORD_LINK,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(
        smtplib.SMTPException,
        ConnectionError,
        TimeoutError,
        OperationalError,
        InterfaceError,
    ),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=5,
)
def email_password_link(user_id: int) -> bool:
    """Email the account a one-time link to set a new password (where email is configured)."""
    user = User._default_manager.filter(pk=user_id).first()
    return user is not None and password_link_email(user=user)
