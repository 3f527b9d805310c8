"""Article references however they are spelt: 第四十五条, 第45条, 45, Article 45, 第四十五条之一.

One key per article so that a question set's ``article``, a citation's ``article`` and a question
naming an article compare equal (``45``; ``45-1`` for 之一), whichever way each writes it.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.normalize import search_form
from ingest.structure import cn_number

_ARTICLE_REF = re.compile(
    r"^(?:第\s*)?([〇零一二三四五六七八九十百千两]+|\d+)\s*(?:条)?(?:\s*之\s*([一二三四五六七八九十]+|\d+))?$"
)


def article_key(label: Any) -> str | None:
    """One spelling of an article reference: ``第四十五条``, ``第45条``, ``45`` → ``"45"``;
    ``第四十五条之一`` → ``"45-1"``; ``Article 45`` → ``"45"``; anything else (``None``, ``""``, a
    chapter) → ``None``. Compared so that a row and a citation agree however each spells it."""
    if isinstance(label, bool) or label is None:
        return None
    if isinstance(label, int):
        return str(label) if label > 0 else None
    text = re.sub(r"\s+", " ", search_form(str(label))).strip()
    text = re.sub(r"^(?:article|art\.?)\s*", "", text, flags=re.I)
    m = _ARTICLE_REF.match(text)
    if not m:
        return None
    try:
        no = cn_number(m.group(1))
        sub = cn_number(m.group(2)) if m.group(2) else 0
    except (ValueError, KeyError, TypeError):
        return None
    if no <= 0:
        return None
    return f"{no}-{sub}" if sub else str(no)



#: an article named inside a question (第二十五条, 第25条, 第四十五条之一, article 25)
_IN_TEXT = re.compile(r"第\s*[〇零一二三四五六七八九十百千两\d]+\s*条(?:\s*之\s*[一二三四五六七八九十\d]+)?|\barticle\s+\d+\b", re.I)


def articles_named(text: str) -> list[str]:
    """The keys of the articles a text names, in order (``"第二十五条和第30条"`` → ``["25", "30"]``)."""
    keys = [article_key(m.group(0)) for m in _IN_TEXT.finditer(search_form(text))]
    return [k for k in keys if k]
