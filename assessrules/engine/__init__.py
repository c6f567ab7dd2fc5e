"""The engine: checking a unit, compiling the rules, scoring, and the results.

Owns :class:`~assessrules.engine.spec.Spec` (the rules compiled into one scoring
function and fast fact checkers), the full fact check with every problem
located (:mod:`.checking`), the compiler and its generated code
(:mod:`.compiler`), the raw outcome and the frozen :class:`~.results.Result`
built from it (:mod:`.results`), whose JSON form is built by code generated per spec
(:mod:`.serialize`), ranking, the quarterly bulletin's figures, groups scored
from their members (:mod:`.groups`) and scoring in worker processes (:mod:`.batch`).

May use: the base modules (errors, numbers, periods, workdays) and ``rules``.
Never imports ``inputs``, ``outputs``, ``authoring`` or the shells; it never
renders (outputs register the text view that ``Result.explain()`` uses).
"""
