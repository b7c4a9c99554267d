"""The SMS gateway: one interface, a backend chosen by ``settings.WENMING_SMS_BACKEND``.

* ``development`` — writes the code to the console (logger ``wenming.voting.sms``) and appends a line
  ``<time> <phone> <code>`` to ``WENMING_SMS_OUTBOX`` (default ``var/sms-outbox.log``); the browser
  test and the demo read it there. Refused in the production profile.
* ``aliyun`` — 阿里云短信 ``SendSms`` (RPC API, signature method HMAC-SHA1 over the canonical query):
  ``WENMING_SMS_ACCESS_KEY_ID``, ``WENMING_SMS_ACCESS_KEY_SECRET``, ``WENMING_SMS_SIGN_NAME``,
  ``WENMING_SMS_TEMPLATE`` (a template with a ``${code}`` variable).
* ``tencent`` — 腾讯云短信 ``SendSms`` (API 3.0, TC3-HMAC-SHA256): ``WENMING_SMS_ACCESS_KEY_ID`` (SecretId),
  ``WENMING_SMS_ACCESS_KEY_SECRET`` (SecretKey), ``WENMING_SMS_APP_ID``, ``WENMING_SMS_SIGN_NAME``,
  ``WENMING_SMS_TEMPLATE`` (template id).
* ``disabled`` — every send fails (the code is never shown): the OTP page answers 503.

Sending fails closed: any error raises :class:`SmsError`, the caller refuses the request and no code is
left valid. The provider adapters build and sign their requests here; this machine has no route to them.
"""

from __future__ import annotations

import abc
import base64
import hashlib
import hmac
import json
import logging
import os
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

logger = logging.getLogger("wenming.voting.sms")
TIMEOUT = 5  # seconds


class SmsError(Exception):
    """The message could not be handed to the gateway."""


class SmsBackend(abc.ABC):
    """One SMS gateway: the development outbox or a provider's adapter (Aliyun, Tencent Cloud)."""

    code = "base"

    @abc.abstractmethod
    def send_code(self, phone: str, code: str) -> None:
        """Hand one verification code to the gateway; raise ``SmsError`` when it cannot be sent."""


def _setting(name: str, default: str = "") -> str:
    """A gateway setting: Django settings first, then the environment (secrets are deployed there)."""
    return str(getattr(settings, name, "") or os.environ.get(name, "") or default)


class DevelopmentBackend(SmsBackend):
    code = "development"

    def outbox(self) -> Path:
        return Path(_setting("WENMING_SMS_OUTBOX") or Path(settings.VAR_DIR) / "sms-outbox.log")

    def send_code(self, phone: str, code: str) -> None:
        if getattr(settings, "WENMING_PROFILE", "") == "production":
            raise SmsError("development SMS backend refused in production")
        line = f"{datetime.now(UTC).isoformat(timespec='seconds')} {phone} {code}\n"
        path = self.outbox()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as f:
                f.write(line)
        except OSError as exc:
            raise SmsError(str(exc)) from exc
        logger.warning("开发短信网关：%s 的验证码为 %s", phone, code)


class DisabledBackend(SmsBackend):
    code = "disabled"

    def send_code(self, phone: str, code: str) -> None:
        raise SmsError("SMS sending is not configured")


def _post(url: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
            return json.loads(resp.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise SmsError(f"gateway unreachable: {exc}") from exc


def _pct(value: str) -> str:
    """Aliyun's percent-encoding (RFC 3986: ``~`` kept, space as ``%20``)."""
    return urllib.parse.quote(value, safe="~")


class AliyunBackend(SmsBackend):
    code = "aliyun"
    endpoint = "https://dysmsapi.aliyuncs.com/"

    def signed_params(self, phone: str, code: str, *, nonce: str | None = None, timestamp: str | None = None) -> dict:
        params = {
            "AccessKeyId": _setting("WENMING_SMS_ACCESS_KEY_ID"),
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": "cn-hangzhou",
            "SignName": _setting("WENMING_SMS_SIGN_NAME"),
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce or uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": _setting("WENMING_SMS_TEMPLATE"),
            "TemplateParam": json.dumps({"code": code}, separators=(",", ":")),
            "Timestamp": timestamp or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        canonical = "&".join(f"{_pct(k)}={_pct(v)}" for k, v in sorted(params.items()))
        to_sign = "POST&%2F&" + _pct(canonical)
        key = (_setting("WENMING_SMS_ACCESS_KEY_SECRET") + "&").encode()
        params["Signature"] = base64.b64encode(hmac.new(key, to_sign.encode(), hashlib.sha1).digest()).decode()
        return params

    def send_code(self, phone: str, code: str) -> None:
        body = urllib.parse.urlencode(self.signed_params(phone, code)).encode()
        answer = _post(self.endpoint, body, {"Content-Type": "application/x-www-form-urlencoded"})
        if answer.get("Code") != "OK":
            raise SmsError(f"aliyun: {answer.get('Code')} {answer.get('Message', '')}"[:200])


class TencentBackend(SmsBackend):
    code = "tencent"
    host = "sms.tencentcloudapi.com"

    def signed_request(self, phone: str, code: str, *, timestamp: int | None = None) -> tuple[bytes, dict[str, str]]:
        ts = timestamp or int(datetime.now(UTC).timestamp())
        date = datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")
        payload = json.dumps(
            {
                "PhoneNumberSet": [f"+86{phone}"],
                "SmsSdkAppId": _setting("WENMING_SMS_APP_ID"),
                "SignName": _setting("WENMING_SMS_SIGN_NAME"),
                "TemplateId": _setting("WENMING_SMS_TEMPLATE"),
                "TemplateParamSet": [code, "5"],
            },
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode()
        canonical = "\n".join(
            [
                "POST",
                "/",
                "",
                f"content-type:application/json; charset=utf-8\nhost:{self.host}\n",
                "content-type;host",
                hashlib.sha256(payload).hexdigest(),
            ]
        )
        scope = f"{date}/sms/tc3_request"
        to_sign = f"TC3-HMAC-SHA256\n{ts}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"

        def _h(key: bytes, msg: str) -> bytes:
            return hmac.new(key, msg.encode(), hashlib.sha256).digest()

        secret = _h(_h(_h(("TC3" + _setting("WENMING_SMS_ACCESS_KEY_SECRET")).encode(), date), "sms"), "tc3_request")
        signature = hmac.new(secret, to_sign.encode(), hashlib.sha256).hexdigest()
        headers = {
            "Authorization": f"TC3-HMAC-SHA256 Credential={_setting('WENMING_SMS_ACCESS_KEY_ID')}/{scope}, "
            f"SignedHeaders=content-type;host, Signature={signature}",
            "Content-Type": "application/json; charset=utf-8",
            "Host": self.host,
            "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(ts),
            "X-TC-Version": "2021-01-11",
            "X-TC-Region": "ap-guangzhou",
        }
        return payload, headers

    def send_code(self, phone: str, code: str) -> None:
        body, headers = self.signed_request(phone, code)
        answer = _post(f"https://{self.host}/", body, headers).get("Response", {})
        status = (answer.get("SendStatusSet") or [{}])[0].get("Code")
        if "Error" in answer or status != "Ok":
            raise SmsError(f"tencent: {answer.get('Error') or status}"[:200])


BACKENDS: dict[str, type[SmsBackend]] = {
    b.code: b for b in (DevelopmentBackend, DisabledBackend, AliyunBackend, TencentBackend)
}


def backend() -> SmsBackend:
    default = "disabled" if getattr(settings, "WENMING_PROFILE", "") == "production" else "development"
    name = _setting("WENMING_SMS_BACKEND", default)
    cls = BACKENDS.get(name)
    if cls is None:
        raise SmsError(f"unknown SMS backend {name!r}")
    return cls()
