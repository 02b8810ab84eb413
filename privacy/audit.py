"""Changes to people and their roles, audited with django-auditlog.

Users (role, group, active, staff) and volunteer profiles (verification, blocks) are tracked in
clear; their personal fields (names, email, phone, home location, Telegram chat) only as
"changed", never their values. No client address is stored (AUDITLOG_DISABLE_REMOTE_ADDR).
Residents are not audited here: their record is personal data from end to end, and the audit
log would outlive its erasure.
"""

from auditlog.registry import auditlog

MASK = "***"
USER_PERSONAL_FIELDS = ["first_name", "last_name", "email", "phone"]
VOLUNTEER_PERSONAL_FIELDS = ["base_latitude", "base_longitude", "telegram_chat_id"]


def mask_personal(value: str) -> str:
    """The whole value goes, not half of it (auditlog's default keeps half a phone number)."""
    return MASK


def register() -> None:
    from users.models import User
    from volunteers.models import Volunteer

    auditlog.register(
        User,
        exclude_fields=["password", "last_login"],
        mask_fields=USER_PERSONAL_FIELDS,
    )
    auditlog.register(
        Volunteer,
        mask_fields=VOLUNTEER_PERSONAL_FIELDS,
        m2m_fields={"blocks"},
    )
