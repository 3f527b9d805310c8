"""Which documents a question names by title, whole or shortened (科技进步法 for 中华人民共和国科学技术进步法).

Shared by retrieval (a named text's chunks are preferred) and the what-changed route (assistant.changes).
"""

from __future__ import annotations

import math
import re

from assistant.lexicon import is_subsequence

_STRIP = re.compile(r"[\s\u3000《》〈〉<>\"“”'‘’「」『』]+")


def names_title(question: str, title: str, cover: float) -> bool:
    """``title`` (a normalised title) is named in ``question`` (its search form, spacing and quotes
    stripped): as a whole, or shortened (科技进步法): a span ending like the title whose characters occur
    in it in order and cover at least ``cover`` of it."""
    q = _STRIP.sub("", question).replace("中华人民共和国", "")
    if title in q:
        return True
    tail = title[-2:]
    for m in re.finditer(re.escape(tail), q):
        end = m.end()
        for start in range(max(0, end - len(title)), end - 3):  # the longest span first
            span = q[start:end]
            if is_subsequence(span, title):
                if len(span) >= max(4, math.ceil(cover * len(title))):
                    return True
                break  # shorter spans of this end cover less
    return False
