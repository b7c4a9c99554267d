"""The story body's rich text: a small, safe markup rendered on the server (ADR 0016).

One block per paragraph (blank line between), ``## 小标题`` for a heading, lines starting with ``- `` for
a list, ``**加粗**`` inside a line, and ``[图片:12]`` (or ``[image:12]``) on its own line for picture 12 of the same story
(shown as a figure with its caption and responsive renditions). Everything else is text: the source is
escaped before any markup is applied, so no HTML written by an editor ever reaches a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

IMAGE_LINE = re.compile(r"^\[(?:图片|image)[:：](\d{1,9})\]$", re.IGNORECASE)
BOLD = re.compile(r"\*\*(.+?)\*\*")
# Personal data that must never reach a public page (ui.md §2.8): ID numbers and mobile numbers.
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")

ImageHtml = Callable[[int], str | None]  # image id -> <figure> html, or None when not this story's


def image_ids(body: str) -> list[int]:
    return [int(m.group(1)) for line in body.splitlines() if (m := IMAGE_LINE.match(line.strip()))]


def personal_data_in(*texts: str) -> bool:
    return any(ID_NUMBER.search(t or "") or MOBILE.search(t or "") for t in texts)


def mask_personal_data(text: str) -> str:
    """Defence in depth for public pages: any ID or mobile number left in a text is masked."""
    text = ID_NUMBER.sub(lambda m: m.group(0)[:6] + "********" + m.group(0)[-4:], text)
    return MOBILE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-4:], text)


def _inline(text: str) -> str:
    html = BOLD.sub(lambda m: f"<strong>{m.group(1)}</strong>", escape(text))
    return mask_personal_data(html)  # after the markup, so the mask's asterisks are not read as bold


def _blocks(body: str) -> Iterable[list[str]]:
    block: list[str] = []
    for raw in body.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            if block:
                yield block
            block = []
            continue
        if IMAGE_LINE.match(line) or line.startswith("## "):
            if block:
                yield block
            yield [line]
            block = []
            continue
        block.append(line)
    if block:
        yield block


def render(body: str, image_html: ImageHtml) -> SafeString:
    out: list[str] = []
    for block in _blocks(body):
        first = block[0]
        if m := IMAGE_LINE.match(first):
            html = image_html(int(m.group(1)))
            if html:
                out.append(html)
        elif first.startswith("## "):
            out.append(f"<h2>{_inline(first[3:])}</h2>")
        elif all(line.startswith("- ") for line in block):
            out.append("<ul>" + "".join(f"<li>{_inline(line[2:])}</li>" for line in block) + "</ul>")
        else:
            out.append("<p>" + "<br>".join(_inline(line) for line in block) + "</p>")
    return mark_safe("\n".join(out))  # every piece above was escaped first


def plain_text(body: str) -> str:
    """The body without markup (search index, summaries, RSS)."""
    lines = [BOLD.sub(r"\1", line.strip().removeprefix("## ").removeprefix("- ")) for line in body.splitlines()]
    return " ".join(line for line in lines if line and not IMAGE_LINE.match(line))


def figure(src: str, srcset: str, alt: str, width: int, height: int) -> str:
    return format_html(
        '<figure class="art-figure"><img src="{}" srcset="{}" sizes="(max-width: 800px) 100vw, 800px" '
        'alt="{}" width="{}" height="{}" loading="lazy" decoding="async"><figcaption>{}</figcaption></figure>',
        src,
        srcset,
        alt,
        width,
        height,
        alt,
    )
