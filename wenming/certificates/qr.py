"""The verification QR printed on every certificate (a PNG data URI, no external request)."""

from __future__ import annotations

import base64
import io

import qrcode

BOX = 8
BORDER = 2


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR's modules (error correction M, no border): what the PDF's image encodes."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(data)
    qr.make(fit=True)
    return qr.get_matrix()


def qr_png_data_uri(data: str) -> str:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=BOX, border=BORDER)
    qr.add_data(data)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image().save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
