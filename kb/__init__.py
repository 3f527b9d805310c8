"""The knowledge-base service (see kb.service): what the CLI, the UI and the API call."""

from kb.service import KnowledgeService, NoKnowledgeBase, UnknownDocument

__all__ = ["KnowledgeService", "NoKnowledgeBase", "UnknownDocument"]
