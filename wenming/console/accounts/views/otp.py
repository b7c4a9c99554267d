"""The second factor (TOTP): enrolment and verification."""

from __future__ import annotations

import base64
import io
import time

import qrcode
import qrcode.image.svg
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from wenming.accounts import services
from wenming.accounts.forms import (
    OtpForm,
)
from wenming.accounts.models import User
from wenming.web.gate import staff_view

from .common import OTP_ISSUER, safe_next

# ---------------------------------------------------------------------------------------------
# Second factor (TOTP)
# ---------------------------------------------------------------------------------------------


def _confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def _token_ok(device: TOTPDevice, token: str) -> bool:
    """RFC 6238 check with the device's tolerance and drift; a code already used is refused (replay)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.verify(int(token), device.tolerance, device.last_t + 1):
        device.last_t = totp.t()
        device.save(update_fields=["last_t"])
        return True
    return False


def otpauth_url(device: TOTPDevice, username: str) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    from urllib.parse import quote

    label = quote(f"{OTP_ISSUER}:{username}")
    params = urlencode({"secret": secret, "issuer": OTP_ISSUER, "algorithm": "SHA1", "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{params}"


def qr_svg(data: str) -> str:
    img = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buf = io.BytesIO()
    img.save(buf)
    svg = buf.getvalue().decode()
    return svg[svg.index("<svg") :]


def _otp_post(request, device: TOTPDevice, *, enrolling: bool):
    form = OtpForm(request.POST)
    if form.is_valid():
        if _token_ok(device, form.cleaned_data["token"]):
            services.otp_success(request=request, user=request.user, device=device, enrolled=enrolling)
            return form, HttpResponseRedirect(safe_next(request))
        if services.otp_failure(request=request, user=request.user):
            return form, HttpResponseRedirect(reverse("accounts:login") + "?reason=otp_locked")
        form.add_error("token", _("动态口令不正确，请重新输入"))
    return form, None


@staff_view()
@never_cache
def otp_setup(request):
    user = request.user
    if _confirmed_device(user) is not None:
        return HttpResponseRedirect(reverse("accounts:otp-verify") + "?" + urlencode({"next": safe_next(request)}))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="动态口令", confirmed=False)
    form = OtpForm()
    if request.method == "POST":
        form, resp = _otp_post(request, device, enrolling=True)
        if resp is not None:
            return resp
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    ctx = {
        "form": form,
        "qr_svg": qr_svg(otpauth_url(device, user.get_username())),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "next": safe_next(request),
    }
    return render(request, "accounts/otp_setup.html", ctx)


@staff_view()
@never_cache
def otp_verify(request):
    user = request.user
    device = _confirmed_device(user)
    if device is None:
        return HttpResponseRedirect(reverse("accounts:otp-setup") + "?" + urlencode({"next": safe_next(request)}))
    if user.is_verified():
        return HttpResponseRedirect(safe_next(request))
    form = OtpForm()
    if request.method == "POST":
        form, resp = _otp_post(request, device, enrolling=False)
        if resp is not None:
            return resp
    return render(request, "accounts/otp_verify.html", {"form": form, "next": safe_next(request)})
