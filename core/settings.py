"""Every tunable of the engine, in one table.

Each :class:`Setting` has a name, a default and a help string; the README's
configuration section is generated from :data:`SETTINGS` and a test checks
that it covers each one. Overrides live in the store's ``settings`` table
and are validated against the default's type when they are set.

Core never reads the environment or Streamlit secrets by itself: callers
load a :class:`Settings` object (``load_settings(db)``) and pass it in.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from core.errors import InputError
from core.fields import IDENTIFYING_FIELDS
from core.targets import validate as _check_targets


@dataclass(frozen=True, slots=True)
class Setting:
    """One tunable: its name, default value and a one-line help text."""

    name: str
    default: Any
    help: str
    check: Callable[[Any], None] | None = None
    """Further validation of a value of the right type (raises InputError)."""


RETENTION_MODES = ("anonymise", "delete")
"""What ``quarantine_retention_mode`` may be (see ``core.privacy.retention``)."""


def _check_retention_days(value: Any) -> None:
    if value < 0:
        raise InputError(
            f"setting quarantine_retention_days: {value!r} is not valid; use 0 (keep forever) "
            "or a number of days, e.g. 90"
        )


def _check_retention_mode(value: Any) -> None:
    if value not in RETENTION_MODES:
        raise InputError(
            f"setting quarantine_retention_mode: {value!r} is not valid; use 'anonymise' "
            "(keep the row and its reason, remove its raw text) or 'delete' (remove the row)"
        )


def _check_positive(name: str, value: Any) -> None:
    if value <= 0:
        raise InputError(f"setting {name}: {value!r} is not valid; give a number above 0")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "default_region", "CN", "ISO 3166 region used to read phone numbers without a + prefix."
    ),
    Setting("busy_timeout_ms", 5000, "How long a writer waits for the SQLite write lock, in ms."),
    Setting(
        "max_cell_chars",
        32767,
        "Longest cell accepted at import (Excel's own limit); longer rows are quarantined.",
    ),
    Setting(
        "header_scan_rows",
        10,
        "How many leading rows are searched for the header row (title rows above it are skipped).",
    ),
    Setting(
        "max_row_lines",
        50,
        "A quoted cell spanning more physical lines than this is taken as a stray quote: the line is quarantined and reading resumes after it.",
    ),
    Setting(
        "import_chunk_rows",
        5000,
        "Rows standardized and written per chunk during import (progress is reported per chunk).",
    ),
    Setting(
        "import_workers",
        0,
        "Worker processes that standardize the chunks of a large import (0: one per CPU core; 1: none, all in one process). Small files are always imported in one process.",
    ),
    Setting(
        "identifying_fields",
        list(IDENTIFYING_FIELDS),
        "A row needs a non-blank value in one of these fields to be imported; otherwise it is quarantined.",
    ),
    Setting(
        "max_decode_error_share",
        0.01,
        "Largest share of undecodable lines a file may have before it is refused as a whole (3 such lines are always tolerated); below it, those lines are quarantined.",
    ),
    Setting(
        "xlsx_max_unpacked_mb",
        1024,
        "The most an XLSX file's parts may unpack to, in MB; a bigger workbook (or a zip bomb) is refused before it is parsed. Save very big sheets as CSV, or raise this.",
        lambda v: _check_positive("xlsx_max_unpacked_mb", v),
    ),
    Setting(
        "xlsx_max_ratio",
        100,
        "The most a part of an XLSX file over 1 MB may unpack to, as a multiple of its packed size (real sheets stay under 25; zip bombs reach 1,000).",
        lambda v: _check_positive("xlsx_max_ratio", v),
    ),
    Setting(
        "xlsx_max_shared_strings",
        2_000_000,
        "The most distinct texts (shared strings) an XLSX file may hold; all are held in memory while it is read, about 170 bytes each.",
        lambda v: _check_positive("xlsx_max_shared_strings", v),
    ),
    Setting(
        "blocking_max_block",
        50,
        "Blocks (records sharing one blocking key) up to this size are paired all-to-all; larger ones (a switchboard, 王伟 in Beijing) use a sorted-neighbourhood window.",
    ),
    Setting(
        "blocking_window",
        10,
        "In an oversized block, each record is paired with this many neighbours after sorting by name key, city, mobile and e-mail.",
    ),
    Setting(
        "match_review_threshold",
        0.5,
        "Match probability from which a pair links records into a cluster, and the least cohesion (average pair score) of a cluster proposed for review; below it is no match.",
    ),
    Setting(
        "match_auto_threshold",
        0.95,
        "Cohesion from which a proposed cluster is in the auto-merge band (very high confidence).",
    ),
    Setting(
        "match_dense_limit",
        1000,
        "Clusters are formed by average linkage; in linked groups up to this size every missing pair is scored first, so the linkage sees real evidence (a pair never scored counts as no match).",
    ),
    Setting(
        "match_dense_pairs",
        2000000,
        "The most missing pairs a match run scores for that: linked groups are completed smallest first while their pairs fit (a few huge groups cannot make a run slow).",
    ),
    Setting(
        "match_background_pairs",
        200000,
        "Random record pairs sampled to learn how often different customers agree by chance (the model's u-probabilities).",
    ),
    Setting(
        "match_em_iterations",
        100,
        "Most expectation-maximisation rounds when the match model is trained.",
    ),
    Setting(
        "match_tf_max_bits",
        8.0,
        "Cap, in bits, of the adjustment for how common an agreed value is (王伟 vs 欧阳娜娜, a switchboard vs a direct line).",
    ),
    Setting(
        "match_keep_score",
        0.01,
        "Scored pairs at or above this probability are kept in the store (for incremental matching and explanations).",
    ),
    Setting(
        "match_prior_pairs",
        20.0,
        "How many duplicates the reference model's picture of how duplicates differ weighs when a store's match model is learnt (a level the store's own duplicates rarely reach keeps a sensible weight).",
    ),
    Setting(
        "match_min_training_pairs",
        200,
        "A store with fewer candidate pairs that agree on more than a name is matched with the reference model learnt from the generator's mixed data (core/matching/reference_model.json) instead of a model of its own: a few dozen records are too few to learn from.",
    ),
    Setting(
        "survivorship_rules",
        {"*": ["valid", "source", "recent", "complete", "frequent"]},
        'Per golden field ("*": every field not listed), the order of the rules that pick the surviving value: valid (valid before partial/suspect/invalid), source (channel priority), recent (last updated or contacted), complete (longest), frequent (most members). A steward\'s pick or edit always wins.',
    ),
    Setting(
        "survivorship_source_priority",
        [],
        'Channels (import sources) in order of trust for the source rule, e.g. ["展会名片", "门店登记", "客服热线"]; unlisted channels come last.',
    ),
    Setting(
        "survivorship_multi_fields",
        ["mobile", "phone", "email", "wechat"],
        "Golden fields that keep every distinct valid value of the members, the best one as primary.",
    ),
    Setting(
        "dormant_days",
        365,
        "A customer with no update or contact within this many days is dormant (休眠客户).",
    ),
    Setting(
        "claim_minutes",
        30,
        "How long a steward's claim on a proposal lasts before others may take it.",
    ),
    Setting(
        "login_max_failures",
        5,
        "Failed logins one client (a browser's address) may make before each further attempt from it must wait: 1 s, then 2, 4, 8 … up to login_lock_minutes. No account is ever locked for everyone.",
    ),
    Setting(
        "login_lock_minutes",
        15,
        "The longest a client waits between failed logins, in minutes (the waits double up to it).",
    ),
    Setting(
        "login_name_max_failures",
        10,
        "Failed logins for one user name, from any clients, before each further attempt on that name waits (up to login_name_max_delay_seconds); a client the user signed in from before does not wait for the name.",
    ),
    Setting(
        "login_name_max_delay_seconds",
        30,
        "The longest a user name waits between failed logins, in seconds: short, so that guessing from many clients is slowed without keeping the real user out.",
    ),
    Setting(
        "login_forget_minutes",
        60,
        "Failed logins older than this many minutes no longer count.",
    ),
    Setting(
        "session_idle_minutes",
        30,
        "The app signs a user out after this many minutes without activity.",
    ),
    Setting(
        "upload_max_rows",
        1_000_000,
        "The most data rows a file uploaded in the app may have; bigger files go through the command line.",
    ),
    Setting(
        "kpi_targets",
        {
            "fields.name.completeness": ">= 99%",
            "fields.mobile.completeness": ">= 80%",
            "fields.mobile.validity": ">= 98%",
            "fields.email.validity": ">= 95%",
            "fields.address.validity": ">= 90%",
            "duplicate_rate": "<= 5%",
            "dormant_rate": "<= 50%",
            "backlog": "<= 200",
        },
        "Targets the dashboard flags KPIs against: a KPI path (fields.<field>.validity, duplicate_rate, backlog, ...) and a condition (>=, >, <=, < and a share, a percentage or a count).",
        check=_check_targets,
    ),
    Setting(
        "quarantine_retention_days",
        0,
        "Quarantined rows of batches imported more than this many days ago lose their raw text (or are deleted, see quarantine_retention_mode) when `python -m core retention` runs; 0 keeps them forever.",
        check=_check_retention_days,
    ),
    Setting(
        "quarantine_retention_mode",
        "anonymise",
        'What retention does to an old quarantined row: "anonymise" replaces its raw text with a marker and keeps its line, row and reason; "delete" removes the row.',
        check=_check_retention_mode,
    ),
)

SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


class Settings(Mapping[str, Any]):
    """An immutable view of the defaults with the stored overrides applied.

    Example:
        >>> s = Settings({"default_region": "HK"})
        >>> s["default_region"], s["max_cell_chars"]
        ('HK', 32767)
    """

    def __init__(self, overrides: Mapping[str, Any] | None = None) -> None:
        values = {s.name: s.default for s in SETTINGS}
        for name, value in (overrides or {}).items():
            values[name] = coerce(name, value)
        self._values = MappingProxyType(values)

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed (validated like stored overrides)."""
        return Settings({**self._values, **changes})


def settings_markdown() -> str:
    """The settings as a Markdown table (the README's configuration section)."""
    lines = ["| setting | default | what it does |", "| --- | --- | --- |"]
    for s in SETTINGS:
        default = json.dumps(s.default, ensure_ascii=False)
        lines.append(f"| `{s.name}` | `{default}` | {s.help} |")
    return "\n".join(lines)


def coerce(name: str, value: Any) -> Any:
    """Validate ``value`` for setting ``name`` and return it in the default's type.

    Raises:
        InputError: the name is unknown or the value has the wrong type,
            with the expected form in the message.
    """
    setting = SETTINGS_BY_NAME.get(name)
    if setting is None:
        known = ", ".join(sorted(SETTINGS_BY_NAME))
        raise InputError(f"unknown setting {name!r}; known settings: {known}")
    default = setting.default
    if isinstance(value, str) and not isinstance(default, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise InputError(
                f"setting {name}: {value!r} is not valid; expected a value like {json.dumps(default)}"
            ) from None
    if isinstance(default, bool) or not isinstance(default, int | float):
        ok = isinstance(value, type(default))
    else:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and isinstance(default, int) and float(value).is_integer():
            value = int(value)
        ok = ok and isinstance(value, type(default))
    if not ok:
        raise InputError(
            f"setting {name}: {value!r} is not valid; expected a value like {json.dumps(default)}"
        )
    if setting.check is not None:
        setting.check(value)
    return value
