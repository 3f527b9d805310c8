"""policyqa's answering side: one API (``Assistant``) that the CLI, the Gradio UI and the tests call."""

from assistant.api import Answer, Assistant, Citation

__all__ = ["Answer", "Assistant", "Citation"]
