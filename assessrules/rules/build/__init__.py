"""Building the checked model from a spec's data, one small builder per top-level section.

Each module here reads one section of a spec (already checked against the JSON
Schema) into the model classes of :mod:`assessrules.rules`, and records every
problem it finds in the shared :class:`~assessrules.rules.build.context.BuildContext`;
:mod:`assessrules.rules.loader` runs them in order. Builders use the model
modules of ``rules`` and the base layer; nothing in ``rules`` imports them back.
"""
