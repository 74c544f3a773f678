"""The command line, ``python -m core COMMAND ...``: one command per job.

:mod:`core.cli.main` builds the parser and runs a command; each stage's
commands live in a module of their own, and :mod:`core.cli.common` holds
what they share (the store, the actor, progress). It is the top floor: it
may import anything in core, and nothing in core imports it.
"""
