"""Jurisdiction preference: a question naming a place prefers that place's own regulation, then its
province's, then national law, and another place's local rule least.

A regulation's article rarely names its own place ("本省", "本市"), so the text match of
:func:`assistant.retrieval.constraint_factor` (a chunk naming the asked place counts more) cannot
tell 《浙江省促进科技成果转化条例》 from 《北京市促进科技成果转化条例》 for a question about 杭州. This
step reads the document's jurisdiction instead (``DocRecord.jurisdiction`` / ``province``, set at
ingest by :func:`ingest.structure.jurisdiction_of`) and places each named place in the national
division table (:func:`ingest.structure.division_of`: 杭州 → 杭州市 in 浙江省). Each tier's weight is
a setting (``Settings.jurisdiction_*_weight``); what the answer says about the text it quotes is the
answering layer's (``Assistant._jurisdiction_note``).
"""

from __future__ import annotations

from typing import Any, Iterable, Literal

from ingest.versioning import VERSIONED_KINDS

Tier = Literal["own", "province", "national", "other"]
#: best first: a place's tier is the best it reaches over the places a question names
TIERS: tuple[Tier, ...] = ("own", "province", "national", "other")


def tier_of(doc: Any, places: Iterable[str]) -> Tier | None:
    """How the regulation ``doc`` (a manifest DocRecord) stands to the places a question names; ``None``
    when there is nothing to prefer: no place named or none known, or not a regulation."""
    from ingest.structure import division_of

    if doc is None or getattr(doc, "kind", None) not in VERSIONED_KINDS:
        return None
    known = [d for d in (division_of(p) for p in places) if d is not None]
    if not known:
        return None
    jur = getattr(doc, "jurisdiction", None) or "national"
    if jur == "national":
        return "national"
    best: Tier = "other"
    for d in known:
        if jur == d.name:
            return "own"
        if jur == d.province:
            best = "province"
    return best


def jurisdiction_factor(doc: Any, places: Iterable[str], weights: dict[str, float]) -> tuple[float, Tier | None]:
    """Retrieval multiplier of a passage of ``doc`` for a question naming ``places``: ``weights[tier]``
    (1 when :func:`tier_of` finds nothing to prefer), and the tier, for the retrieval signals."""
    tier = tier_of(doc, places)
    return (weights.get(tier, 1.0) if tier else 1.0), tier


def higher_texts(doc: Any, documents: dict[str, Any]) -> list[frozenset[str]]:
    """The current texts a local regulation ``doc`` sits under, nearest level first: its province's
    regulations (for a city's), then national laws and regulations. Empty for a national text or for
    anything that is not a regulation: a report states facts, it does not implement a higher rule."""
    if doc is None or getattr(doc, "kind", None) not in VERSIONED_KINDS:
        return []
    jur = getattr(doc, "jurisdiction", None) or "national"
    if jur == "national":
        return []
    rules = [
        (d, r) for d, r in documents.items()
        if d != doc.doc_id and getattr(r, "kind", None) in VERSIONED_KINDS and getattr(r, "status", None) != "superseded"
    ]
    province = getattr(doc, "province", None)
    levels = []
    if province and province != jur:
        levels.append(frozenset(d for d, r in rules if r.jurisdiction == province))
    levels.append(frozenset(d for d, r in rules if (r.jurisdiction or "national") == "national"))
    return [level for level in levels if level]


def figures_differ(local: str, higher: str) -> bool:
    """Whether the higher text states another figure than the local one for the same question: both
    sentences hold a figure of one kind (a percentage, an amount, a duration) and none of the local
    sentence's figures of that kind is one of the higher sentence's (value and bound: 不低于百分之七十
    against 不低于百分之五十 differ, 百分之五十 against 50% do not)."""
    from ingest.facts import quantities, same_figure

    mine, theirs = quantities(local), quantities(higher)
    kinds = {q.kind for q in mine} & {q.kind for q in theirs}
    if not kinds:
        return False
    mine = [q for q in mine if q.kind in kinds]
    theirs = [q for q in theirs if q.kind in kinds]
    return not any(same_figure(a, b) for a in mine for b in theirs)


def asks_level(query: Any) -> bool:
    """Whether a question naming no place asks about the rules (法律上…) or the state (国家设立的…): then
    it is not about the home city, and a city report's sentence on the subject does not answer it."""
    return bool((getattr(query, "asks_rules", False) or getattr(query, "asks_national", False)) and not getattr(query, "places", None))


def level_factor(doc: Any, query: Any, rules_weight: float, national_weight: float) -> float:
    """Retrieval multiplier of a passage of ``doc`` for a question about the law (``rules_weight`` for any
    law or regulation) or the state (``national_weight`` for a national one); 1 for other questions."""
    if not asks_level(query) or doc is None or getattr(doc, "kind", None) not in VERSIONED_KINDS:
        return 1.0
    factor = rules_weight if query.asks_rules else 1.0
    if query.asks_national and (getattr(doc, "jurisdiction", None) or "national") == "national":
        factor *= national_weight
    return factor
