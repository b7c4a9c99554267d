"""Login, logout, password change and the second factor.

One module per page group; URL names are in ``accounts/urls.py``. The system/security administrator
pages (users, grants, locks, sessions, login log) read the organisation tree and live in
``wenming.console.organizations.views`` (``users``, ``security``), still under the ``accounts:`` URL names.
"""

from __future__ import annotations

from .login import login_view, logout_view, password_change
from .otp import otp_setup, otp_verify, otpauth_url, qr_svg

__all__ = [
    "login_view",
    "logout_view",
    "otp_setup",
    "otp_verify",
    "otpauth_url",
    "password_change",
    "qr_svg",
]
