"""The rules as data: reading a spec, checking it, and the checked model it becomes.

Owns the located reading of YAML and JSON (:mod:`.document`, fast through :mod:`.reading`), the
limits every document keeps (:mod:`.limits`), what files a spec may read (:mod:`.access`), the JSON
Schema of a spec (:mod:`.schema`), ``extends:`` (:mod:`.extend`), the expression language
(:mod:`.expressions`), the fact types (:mod:`.facts`), the trigger kinds
(:mod:`.kinds`), the derived kinds (:mod:`.derive`), the model classes
(:mod:`.model`, :mod:`.ruleset`), where a spec's arithmetic may not terminate
(:mod:`.exactness`), the section builders (:mod:`.build`) and the
loader that runs them (:mod:`.loader`).

May use: the base modules (errors, numbers, periods, workdays, resources).
Never imports the engine or anything above it; the trigger kinds write their
code through the :class:`~.kinds.Emitter` protocol the engine implements.
"""
