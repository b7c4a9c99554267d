"""A small self-hosted captcha: four digits drawn with noise, the answer kept in the cache, used once."""

from __future__ import annotations

import io
import random
import secrets

from django.core.cache import cache
from django.utils.crypto import constant_time_compare
from PIL import Image, ImageDraw, ImageFilter, ImageFont

TTL = 600  # seconds
_PREFIX = "voting:captcha:"


def new() -> str:
    """A fresh challenge id (the answer is stored under it)."""
    nonce = secrets.token_urlsafe(12)
    cache.set(_PREFIX + nonce, f"{secrets.randbelow(10_000):04d}", TTL)
    return nonce


def image(nonce: str) -> bytes | None:
    answer = cache.get(_PREFIX + nonce)
    if answer is None:
        return None
    rng = random.Random(secrets.randbits(32))
    im = Image.new("RGB", (140, 48), (245, 245, 240))
    d = ImageDraw.Draw(im)
    font = ImageFont.load_default(size=30)
    for i, ch in enumerate(answer):
        d.text((12 + i * 31 + rng.randint(-3, 3), 6 + rng.randint(-4, 4)), ch, fill=(40, 40, 90), font=font)
    for _ in range(6):
        d.line(
            [(rng.randint(0, 140), rng.randint(0, 48)), (rng.randint(0, 140), rng.randint(0, 48))], fill=(120, 120, 140)
        )
    im = im.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


def check(nonce: str, answer: str) -> bool:
    """Right answer for a live challenge; the challenge is gone afterwards either way."""
    if not nonce:
        return False
    expected = cache.get(_PREFIX + nonce)
    cache.delete(_PREFIX + nonce)
    return expected is not None and constant_time_compare(expected, (answer or "").strip())
