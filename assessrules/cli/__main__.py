"""``python -m assessrules.cli``: the command line."""

from . import main

main()
