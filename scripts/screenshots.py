"""Screenshots of pages at desktop (1280 px) and phone (390 px) widths, for looking at what we built.

Usage: .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 shenyang /org/ /org/outlets/ ...
Writes var/screenshots/<user>-<slug>-<width>.png. Uses Debian's chromium, never a downloaded browser.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--lang=zh-CN",
]
PASSWORD = "Wenming#2017demo"


def main(base: str, user: str, paths: list[str]) -> None:
    out = Path("var/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        for width, height in ((1280, 800), (390, 844)):
            ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
            page = ctx.new_page()
            if user != "-":
                page.goto(base + "/accounts/login/")
                page.fill("#id_username", user)
                page.fill("#id_password", PASSWORD)
                page.get_by_role("button", name="登录").click()
                page.wait_for_load_state("networkidle")
            for path in paths:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                slug = re.sub(r"[^a-zA-Z0-9]+", "-", path).strip("-") or "home"
                target = out / f"{user}-{slug}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3:] or ["/"])
