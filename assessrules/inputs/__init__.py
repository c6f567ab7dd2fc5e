"""Reading facts files: the units of one assessment, with every problem located in the file.

Owns the facts file format (YAML or JSON; later workbooks): reading it,
locating the engine's problems back in the file, and scoring a whole file.

May use: the base modules, ``rules`` and ``engine``. Never imports ``outputs``,
``authoring`` or the shells.
"""
