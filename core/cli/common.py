"""What every command shares: the ``--db`` and ``--actor`` options, one
way to open the store, one way to resolve who acts, and progress on stderr.

Who acts: a command's ``--actor`` names a user of the store, whose role
comes from the store and never from the command line. Where ``--actor`` is
optional and left out, the operator running the command on the server acts
as the system, recorded under their OS user name.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import InputError

if TYPE_CHECKING:  # the store pulls in sqlite-utils: import it when a command runs
    from core.actors import Actor
    from core.store import Store

Commands = Any
"""The CLI's subparsers (``argparse._SubParsersAction``), which each command
module's ``register(commands)`` adds its commands to."""


def add_db(p: argparse.ArgumentParser, default: str | None = None) -> None:
    """Add ``--db``: required, unless a default is given."""
    p.add_argument("--db", type=Path, required=default is None, default=default,
                   help="the SQLite store file")  # fmt: skip


def add_actor(p: argparse.ArgumentParser, who: str = "", *, required: bool = True) -> None:
    """Add ``--actor``: a user of the store (``who`` says which role, for
    the help); optional ones default to the OS user, as the system."""
    if required:
        p.add_argument("--actor", required=True, metavar="USER", help=who or "the user who acts")
    else:
        default = "a user of the store (default: the OS user, as the system)"
        p.add_argument("--actor", metavar="USER", default=None, help=default)


def add_entity(p: argparse.ArgumentParser) -> None:
    """Add ``--entity``: what the file's records describe."""
    p.add_argument("--entity", choices=["auto", "person", "organisation"], default="auto",
                   help="what every record describes (default auto: a record with a company "
                        "and no person's name, or a customer type such as 企业/company, is "
                        "an organisation)")  # fmt: skip


def open_db(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The store named by ``--db``; it must exist unless ``create``."""
    from core.store import open_store

    return open_store(args.db, create=create)


def actor(store: Store, username: str | None) -> Actor:
    """Who acts: the active user ``username`` in their stored role, or, with
    no name, the OS user as the system.

    Raises:
        InputError: there is no active user of that name.
    """
    from core.actors import Actor
    from core.users import actor_for

    return actor_for(store, username) if username else Actor(os_user(), "system")


def os_user() -> str:
    """The operator's login name (``cli`` when the OS cannot tell)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def say(message: str) -> None:
    """One line of progress on stderr (stdout is the command's JSON)."""
    sys.stderr.write(message + "\n")


def progress(
    verb: str, unit: str, *, quiet_below: int = 20_000, estimated: bool = True
) -> Callable[[int, int], None]:
    """Progress on stderr: a live line on a terminal, else every 10% of a
    job of at least ``quiet_below`` units. ``estimated`` marks a total that
    is an estimate (rows of a file not yet read) with a ``~``."""
    state = {"shown": -1}
    tty = sys.stderr.isatty()
    about = "~" if estimated else ""

    def show(done: int, total: int) -> None:
        share = done / total if total else 1.0
        step = int(share * 10)
        line = f"{verb} {done:,} / {about}{total:,} {unit} ({share:.0%})"
        if tty:
            sys.stderr.write("\r" + line)
            if done >= total:
                sys.stderr.write("\n")
        elif total >= quiet_below and step > state["shown"]:
            state["shown"] = step
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    return show


def day(text: str | None) -> date | None:
    """A ``--today YYYY-MM-DD`` option as a date (None when not given).

    Raises:
        InputError: the text is not such a day, showing the form.
    """
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"--today {text!r}: write the day as YYYY-MM-DD, e.g. 2026-09-30"
        ) from None
