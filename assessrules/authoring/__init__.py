"""Tools for the people who write and test rules.

Owns scenario tests beside a spec (:mod:`.scenarios`), what changed between two
specs and how it moves each unit (:mod:`.diff`), the invariants any spec must
keep (:mod:`.invariants`) and the hypothesis strategies that draw units for a
spec (:mod:`.strategies`, which needs ``hypothesis``).

May use: every layer below (base, ``rules``, ``engine``, ``inputs``, ``outputs``).
Never imports the shells.
"""
