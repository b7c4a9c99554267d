"""The site's identity for every page: name, domain, 主办单位 and the filing numbers (``WENMING_SITE``)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.templatetags.static import static

ICP_URL = "https://beian.miit.gov.cn/"  # 工业和信息化部 ICP/IP 地址/域名信息备案管理系统
PSB_URL = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"  # 全国互联网安全管理服务平台


def site_identity() -> dict[str, str]:
    """``WENMING_SITE`` with empty items as "", plus the links the footer needs."""
    conf: dict[str, Any] = getattr(settings, "WENMING_SITE", {}) or {}
    site = {
        k: str(conf.get(k) or "").strip()
        for k in ("name", "domain", "description", "sponsor", "icp", "psb", "id_code", "gov_mark_url", "gov_mark_image")
    }
    code = "".join(re.findall(r"\d", site["psb"]))
    site["icp_url"] = ICP_URL if site["icp"] else ""
    site["psb_url"] = PSB_URL.format(code=code) if code else ""
    image = site["gov_mark_image"]
    if image and not re.match(r"^(https?:)?//|^/", image):
        image = static(image)  # a path inside static/
    site["gov_mark_image"] = image
    return site


def site(request: Any) -> dict[str, Any]:
    return {"site": site_identity()}
