"""Reading facts: the ways the units of one assessment and their facts come in, every problem located.

Owns the facts file format (YAML or JSON: :mod:`.facts_file`, which also
locates the engine's problems back in the file and scores a whole file) and the
data-entry workbook (考核数据.xlsx): its layout (:mod:`._layout`), the blank or
filled template written from a spec (:mod:`.template`), the reader that turns a
filled workbook into the same unit mappings a facts file gives
(:mod:`.workbook`), and conversion between the formats (:mod:`.convert`). The
template lives here, beside its reader, because it is an input form: both read
one layout, so they cannot drift apart.

May use: the base modules, ``rules`` and ``engine``. Never imports ``outputs``,
``authoring`` or the shells.
"""
