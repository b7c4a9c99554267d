"""Site search with Chinese word segmentation (jieba), the same on SQLite and PostgreSQL.

Each story keeps ``search_text``: its title, summary and body cut by ``jieba.cut_for_search`` (words and
their sub-words), lower-cased, space separated and padded. A query is cut into words (precise mode) and a
story matches when it holds every word as a whole token — so 快递员 finds stories about 快递员 and 快递, and
“文明” does not match inside an unrelated token.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.CRITICAL)

WORD = re.compile(r"[\w\u4e00-\u9fff]+")
MAX_TERMS = 8


def _tokens(words) -> list[str]:
    out = []
    for w in words:
        w = w.strip().lower()
        if w and WORD.fullmatch(w):
            out.append(w)
    return out


def index_text(*parts: str) -> str:
    text = " ".join(p for p in parts if p)
    toks = _tokens(jieba.cut_for_search(text))
    return " " + " ".join(dict.fromkeys(toks)) + " " if toks else ""


@lru_cache(maxsize=256)
def query_terms(q: str) -> tuple[str, ...]:
    q = (q or "").strip()[:50]
    return tuple(dict.fromkeys(_tokens(jieba.cut(q))))[:MAX_TERMS]
