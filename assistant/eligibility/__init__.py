"""Eligibility self-check (issue 14): "can my company apply?".

* :mod:`assistant.eligibility.conditions`: the conditions a notice sets, with what each tests.
* :mod:`assistant.eligibility.profile`: a company's facts from free text or a JSON object.
* :mod:`assistant.eligibility.check`: each condition met / not_met / unknown, with its reason.
* :mod:`assistant.eligibility.library`: documents of the knowledge base, checked or ranked.
* :mod:`assistant.eligibility.chat`: the checklist answer to "我们…能申报…吗?".

All of it reads text through the text-facts layer (:mod:`ingest.facts`, :mod:`ingest.divisions`), so a
figure, a bound and a place mean the same here as in every answer.
"""
