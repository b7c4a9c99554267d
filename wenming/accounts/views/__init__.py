"""Login, logout, password change, second factor, and the system/security administrator pages.

One module per page group; URL names are in ``accounts/urls.py``.
"""

from __future__ import annotations

from .login import login_view, logout_view, password_change
from .otp import otp_setup, otp_verify, otpauth_url, qr_svg
from .security import lock_list, login_log, session_kill, session_list
from .users import (
    duty_grant,
    duty_revoke,
    grant_list,
    otp_reset,
    role_grant,
    role_revoke,
    user_create,
    user_deactivate,
    user_detail,
    user_list,
    user_password_reset,
    user_reactivate,
)

__all__ = [
    "duty_grant",
    "duty_revoke",
    "grant_list",
    "lock_list",
    "login_log",
    "login_view",
    "logout_view",
    "otp_reset",
    "otp_setup",
    "otp_verify",
    "otpauth_url",
    "password_change",
    "qr_svg",
    "role_grant",
    "role_revoke",
    "session_kill",
    "session_list",
    "user_create",
    "user_deactivate",
    "user_detail",
    "user_list",
    "user_password_reset",
    "user_reactivate",
]
