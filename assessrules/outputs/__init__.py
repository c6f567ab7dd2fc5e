"""Outputs: views of results, never a recomputation.

Owns the text account of one result (:mod:`.explain`, registered as the view
``Result.explain()`` uses) and the reporters of a batch: the ranking table,
JSON, CSV and the quarterly bulletin's tables (:mod:`.report`).

May use: the base modules, ``rules`` and ``engine``. Never imports ``inputs``,
``authoring`` or the shells.
"""
