"""``python -m assessrules``: the command line."""

from .cli import main

main()
