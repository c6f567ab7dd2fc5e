"""Outputs: views of results, never a recomputation.

Owns the text account of one result (:mod:`.explain`, registered as the view
``Result.explain()`` uses); the reporters of a batch: the ranking table, JSON,
CSV and the quarterly bulletin's tables (:mod:`.report`); the results workbook
(:mod:`.workbook`), the printable HTML report (:mod:`.html`, from the jinja2
templates in ``templates/``), the score breakdown whose columns add up
(:mod:`.breakdown`), safe cell values (:mod:`.cells`), zip archives whose members
carry one fixed time, so that the same input gives the same .xlsx or .docx bytes
(:mod:`.archive`), and the UTF-8 console (:mod:`.terminal`).

May use: the base modules, ``rules`` and ``engine``. Never imports ``inputs``,
``authoring`` or the shells.
"""
