"""Schema migrations of the store.

Migrations are append-only: a migration that has shipped is never edited;
a change is a new migration. Each runs inside the store's ``BEGIN
IMMEDIATE`` transaction (see :func:`core.store.open_store`).

The tables (see ``docs/schema.md`` for the full picture):

* ``import_batches``: one row per imported file, with its SHA-256, channel,
  importer, encoding, header and column mapping.
* ``source_records``: one row per imported row, **immutable** (triggers
  refuse UPDATE and DELETE). Keeps the raw cells exactly as read, the row's
  position in the file and the raw value mapped to each canonical field.
* ``standardized``: one row per source record, the standardized values with
  status and reason code; recomputable from ``source_records``.
* ``quarantine``: rows that could not be used, with raw text and reason.
* ``customers``, ``customer_members``, ``customer_values``: golden records,
  their member source records and each surviving value's provenance.
* ``match_runs``, ``proposals``, ``proposal_members``, ``proposal_pairs``,
  ``links``: duplicate-cluster proposals with scored, explained pairs, and
  steward must-link / cannot-link feedback.
* ``decisions``: every steward or system decision.
* ``audit_log``, ``audit_payloads``: the append-only, hash-chained trail
  and its before/after payloads (erasable without breaking the chain).
* ``kpi_snapshots``, ``kpi_batch_cache``, ``audit_sessions``, ``audit_session_items``,
  ``erasures``, ``users``, ``settings``.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

MIGRATIONS = Migrations("crm-steward")

STD_COLUMNS: tuple[str, ...] = (
    "name", "name_status", "name_reason", "name_kind", "name_surname", "name_given", "name_key",
    "mobile", "mobile_status", "mobile_reason", "mobile_kind", "mobile_ext", "mobile_others",
    "phone", "phone_status", "phone_reason", "phone_kind", "phone_ext", "phone_others",
    "email", "email_status", "email_reason", "email_suggestion", "email_role", "email_free",
    "wechat", "wechat_status", "wechat_reason",
    "company", "company_status", "company_reason", "company_key", "company_region",
    "title",
    "address", "address_status", "address_reason",
    "province", "city", "district", "address_key", "adcode",
    "postcode", "postcode_status", "postcode_reason",
    "country", "country_status", "country_reason",
    "birth_date", "birth_date_status", "birth_date_reason",
    "id_number", "id_number_status", "id_number_reason", "id_number_kind",
    "customer_type", "customer_type_status", "customer_type_reason",
    "owner", "source", "notes",
    "created_at", "created_at_status", "created_at_reason",
    "updated_at", "updated_at_status", "updated_at_reason",
    "last_contact_at", "last_contact_at_status", "last_contact_at_reason",
    "website", "website_status", "website_reason",
    "fax", "fax_status", "fax_reason", "fax_kind", "fax_ext",
    "org_id", "org_id_status", "org_id_reason", "org_id_kind",
    "company_tokens", "entity",
)  # fmt: skip
"""The standardized columns, in table order. Boolean flags (``email_role``,
``email_free``) are stored as 0/1; everything else as text, '' when empty."""


@MIGRATIONS(name="0001_ingest")
def _ingest(db: sqlite_utils.Database) -> None:
    # A shipped migration never changes: its columns are written out here,
    # not derived from today's field lists (a later field gets a migration).
    db.execute(
        """
        create table import_batches (
            id integer primary key,
            file_name text not null,
            file_sha256 text not null,
            file_size integer not null,
            channel text not null,
            imported_by text not null,
            imported_at text not null,
            file_format text not null,
            encoding text not null,
            delimiter text,
            sheet text,
            header_line integer not null,
            headers text not null,
            mapping text not null,
            id_column text,
            forced integer not null default 0,
            rows_read integer not null,
            rows_imported integer not null,
            rows_quarantined integer not null,
            rows_blank integer not null
        )
        """
    )
    db.execute("create index idx_batches_sha on import_batches (file_sha256, channel)")
    db.execute(
        """
        create table source_records (
            id integer primary key,
            batch_id integer not null references import_batches (id),
            row_number integer not null,
            line_number integer not null,
            source_record_id text not null,
            channel text not null,
            raw_cells text not null,
            extra text not null,
            [name] text,
            [first_name] text,
            [last_name] text,
            [mobile] text,
            [phone] text,
            [email] text,
            [wechat] text,
            [company] text,
            [title] text,
            [address] text,
            [province] text,
            [city] text,
            [district] text,
            [postcode] text,
            [country] text,
            [birth_date] text,
            [id_number] text,
            [customer_type] text,
            [owner] text,
            [source] text,
            [created_at] text,
            [updated_at] text,
            [last_contact_at] text,
            [notes] text,
            unique (batch_id, row_number)
        )
        """
    )
    db.execute("create index idx_records_source_id on source_records (channel, source_record_id)")
    for verb in ("update", "delete"):
        db.execute(
            f"""
            create trigger source_records_no_{verb} before {verb} on source_records
            begin
                select raise(abort, 'source records are immutable');
            end
            """
        )
    db.execute(
        """
        create table standardized (
            record_id integer primary key references source_records (id),
            std_version integer not null,
            [name] text not null default '',
            [name_status] text not null default '',
            [name_reason] text not null default '',
            [name_kind] text not null default '',
            [name_surname] text not null default '',
            [name_given] text not null default '',
            [name_key] text not null default '',
            [mobile] text not null default '',
            [mobile_status] text not null default '',
            [mobile_reason] text not null default '',
            [mobile_kind] text not null default '',
            [mobile_ext] text not null default '',
            [mobile_others] text not null default '',
            [phone] text not null default '',
            [phone_status] text not null default '',
            [phone_reason] text not null default '',
            [phone_kind] text not null default '',
            [phone_ext] text not null default '',
            [phone_others] text not null default '',
            [email] text not null default '',
            [email_status] text not null default '',
            [email_reason] text not null default '',
            [email_suggestion] text not null default '',
            [email_role] integer not null default 0,
            [email_free] integer not null default 0,
            [wechat] text not null default '',
            [wechat_status] text not null default '',
            [wechat_reason] text not null default '',
            [company] text not null default '',
            [company_status] text not null default '',
            [company_reason] text not null default '',
            [company_key] text not null default '',
            [company_region] text not null default '',
            [title] text not null default '',
            [address] text not null default '',
            [address_status] text not null default '',
            [address_reason] text not null default '',
            [province] text not null default '',
            [city] text not null default '',
            [district] text not null default '',
            [address_key] text not null default '',
            [adcode] text not null default '',
            [postcode] text not null default '',
            [postcode_status] text not null default '',
            [postcode_reason] text not null default '',
            [country] text not null default '',
            [country_status] text not null default '',
            [country_reason] text not null default '',
            [birth_date] text not null default '',
            [birth_date_status] text not null default '',
            [birth_date_reason] text not null default '',
            [id_number] text not null default '',
            [id_number_status] text not null default '',
            [id_number_reason] text not null default '',
            [id_number_kind] text not null default '',
            [customer_type] text not null default '',
            [customer_type_status] text not null default '',
            [customer_type_reason] text not null default '',
            [owner] text not null default '',
            [source] text not null default '',
            [notes] text not null default '',
            [created_at] text not null default '',
            [created_at_status] text not null default '',
            [created_at_reason] text not null default '',
            [updated_at] text not null default '',
            [updated_at_status] text not null default '',
            [updated_at_reason] text not null default '',
            [last_contact_at] text not null default '',
            [last_contact_at_status] text not null default '',
            [last_contact_at_reason] text not null default ''
        )
        """
    )
    db.execute(
        """
        create table quarantine (
            id integer primary key,
            batch_id integer not null references import_batches (id),
            row_number integer not null,
            line_number integer not null,
            raw_text text not null,
            reason_code text not null,
            reason text not null
        )
        """
    )
    db.execute("create index idx_quarantine_batch on quarantine (batch_id)")
    db.execute(
        """
        create table settings (
            name text primary key,
            value text not null,
            updated_at text not null,
            updated_by text not null
        )
        """
    )


@MIGRATIONS(name="0002_workflow")
def _workflow(db: sqlite_utils.Database) -> None:
    """Tables of the later stages (matching, merging, audit, KPIs, users),
    created now so that every store has one shape from the start."""
    db.executescript(
        """
        create table users (
            id integer primary key,
            username text not null unique,
            role text not null check (role in ('steward', 'manager', 'auditor', 'admin', 'system')),
            password_hash text,
            active integer not null default 1,
            failed_logins integer not null default 0,
            locked_until text,
            created_at text not null
        );
        create table customers (
            id integer primary key,
            version integer not null default 1,
            status text not null default 'active' check (status in ('active', 'retired')),
            created_at text not null,
            updated_at text not null
        );
        create table customer_members (
            record_id integer primary key references source_records (id),
            customer_id integer not null references customers (id),
            added_at text not null,
            decision_id integer
        );
        create index idx_members_customer on customer_members (customer_id);
        create table customer_values (
            customer_id integer not null references customers (id),
            field text not null,
            value text not null,
            is_primary integer not null default 1,
            source_record_id integer references source_records (id),
            rule text not null,
            chosen_by text,
            chosen_at text not null,
            primary key (customer_id, field, value)
        );
        create table match_runs (
            id integer primary key,
            started_at text not null,
            finished_at text,
            model_version text not null,
            params text not null,
            pairs_scored integer not null default 0,
            clusters_proposed integer not null default 0
        );
        create table proposals (
            id integer primary key,
            run_id integer not null references match_runs (id),
            status text not null default 'open'
                check (status in ('open', 'approved', 'rejected', 'superseded')),
            band text not null check (band in ('auto', 'review')),
            score real not null,
            size integer not null,
            created_at text not null,
            claimed_by text,
            claimed_until text,
            version integer not null default 1,
            decided_at text,
            decided_by text
        );
        create index idx_proposals_open on proposals (status, band, score);
        create table proposal_members (
            proposal_id integer not null references proposals (id),
            record_id integer not null references source_records (id),
            primary key (proposal_id, record_id)
        );
        create index idx_proposal_members_record on proposal_members (record_id);
        create table proposal_pairs (
            proposal_id integer not null references proposals (id),
            record_id_l integer not null,
            record_id_r integer not null,
            score real not null,
            explanation text not null,
            primary key (proposal_id, record_id_l, record_id_r),
            check (record_id_l < record_id_r)
        );
        create table links (
            record_id_l integer not null,
            record_id_r integer not null,
            kind text not null check (kind in ('must', 'cannot')),
            decision_id integer,
            created_at text not null,
            primary key (record_id_l, record_id_r),
            check (record_id_l < record_id_r)
        );
        create table decisions (
            id integer primary key,
            kind text not null,
            proposal_id integer,
            customer_id integer,
            actor text not null,
            role text not null,
            at text not null,
            note text not null default '',
            undone_by integer
        );
        create table audit_log (
            seq integer primary key,
            at text not null,
            actor text not null,
            role text not null,
            action text not null,
            object_ids text not null,
            reason text not null default '',
            payload_hash text not null,
            prev_hash text not null,
            hash text not null
        );
        create table audit_payloads (
            seq integer primary key references audit_log (seq),
            payload text not null
        );
        create trigger audit_log_no_update before update on audit_log
        begin select raise(abort, 'the audit log is append-only'); end;
        create trigger audit_log_no_delete before delete on audit_log
        begin select raise(abort, 'the audit log is append-only'); end;
        create table kpi_snapshots (
            day text not null,
            scope text not null,
            metrics text not null,
            primary key (day, scope)
        );
        """
    )


@MIGRATIONS(name="0003_matching")
def _matching(db: sqlite_utils.Database) -> None:
    """Match models, scored pairs and which records have been matched, plus
    the indexes that let a single-record check find candidates quickly."""
    db.executescript(
        """
        create table match_models (
            id integer primary key,
            version text not null unique,
            created_at text not null,
            record_count integer not null,
            params text not null
        );
        alter table match_runs add column model_id integer references match_models (id);
        alter table match_runs add column mode text not null default 'full';
        alter table match_runs add column new_records integer not null default 0;
        create table match_state (
            record_id integer primary key references source_records (id),
            run_id integer not null references match_runs (id)
        );
        create table match_pairs (
            record_id_l integer not null,
            record_id_r integer not null,
            score real not null,
            levels text not null,
            bits blob not null,
            run_id integer not null references match_runs (id),
            primary key (record_id_l, record_id_r),
            check (record_id_l < record_id_r)
        ) without rowid;
        create index idx_match_pairs_r on match_pairs (record_id_r);
        create index idx_std_name_key on standardized (name_key);
        create index idx_std_mobile on standardized (mobile);
        create index idx_std_phone on standardized (phone);
        create index idx_std_email on standardized (email);
        create index idx_std_wechat on standardized (wechat);
        create index idx_std_id_number on standardized (id_number);
        create index idx_std_address_key on standardized (address_key);
        create index idx_std_birth_date on standardized (birth_date);
        create index idx_std_company_key on standardized (company_key);
        """
    )


@MIGRATIONS(name="0004_customers")
def _customers(db: sqlite_utils.Database) -> None:
    """Golden records for every record, decisions that can be undone exactly,
    and who changed a customer last (for conflict messages).

    * Every source record belongs to exactly one customer: a new record is a
      customer of its own until a merge joins it to others.
    * A merge retires the customers it joins and creates a new one; an
      unmerge retires that one and brings the old ones back, untouched.
    * ``decisions.detail`` holds what an undo needs (JSON); ``customer_values``
      keep the reason of a steward's edit.
    """
    db.executescript(
        """
        alter table customers add column updated_by text not null default 'system';
        alter table customers add column created_by_decision integer references decisions (id);
        alter table customers add column retired_by_decision integer references decisions (id);
        alter table customer_values add column reason text not null default '';
        alter table decisions add column detail text not null default '{}';
        alter table decisions add column customer_ids text not null default '[]';
        create index idx_customers_status on customers (status);
        create index idx_decisions_at on decisions (at);
        create index idx_decisions_proposal on decisions (proposal_id);
        create trigger audit_payloads_no_update before update on audit_payloads
        begin select raise(abort, 'audit payloads are never changed, only erased'); end;
        create table audit_index (
            seq integer not null references audit_log (seq),
            kind text not null,
            object_id text not null,
            primary key (kind, object_id, seq)
        ) without rowid;
        """
    )
    # No customer existed before this migration, so each record's own
    # customer can take the record's id.
    db.execute(
        "insert into customers (id, version, status, created_at, updated_at) "
        "select r.id, 1, 'active', b.imported_at, b.imported_at from source_records r "
        "join import_batches b on b.id = r.batch_id "
        "where not exists (select 1 from customer_members m where m.record_id = r.id)"
    )
    db.execute(
        "insert into customer_members (record_id, customer_id, added_at) "
        "select c.id, c.id, c.created_at from customers c "
        "where not exists (select 1 from customer_members m where m.record_id = c.id)"
    )


@MIGRATIONS(name="0005_quality_and_audit_sessions")
def _quality_and_audit_sessions(db: sqlite_utils.Database) -> None:
    """Per-batch KPI aggregates (records never change, so a batch's figures
    are computed once) and the auditors' quarterly sessions."""
    db.executescript(
        """
        create table kpi_batch_cache (
            batch_id integer primary key references import_batches (id),
            metrics text not null,
            computed_at text not null
        );
        create table audit_sessions (
            id integer primary key,
            period text not null,
            period_start text not null,
            period_end text not null,
            seed integer not null,
            sample_size integer not null,
            strata text not null,
            status text not null default 'open' check (status in ('open', 'signed')),
            opened_by text not null,
            opened_at text not null,
            signed_by text,
            signed_at text,
            head_seq integer,
            head_hash text,
            verify_ok integer,
            merge_precision real,
            results text
        );
        create table audit_session_items (
            session_id integer not null references audit_sessions (id),
            decision_id integer not null references decisions (id),
            stratum text not null,
            verdict text check (verdict in ('correct', 'incorrect', 'unsure')),
            note text not null default '',
            judged_by text,
            judged_at text,
            primary key (session_id, decision_id)
        );
        """
    )


@MIGRATIONS(name="0006_erasure")
def _erasure(db: sqlite_utils.Database) -> None:
    """Data-subject erasure (:mod:`core.privacy.erasure`).

    * ``erasures``: the register of erasures (ids, who, when, why; never the
      erased data). The audit trail's ``erase`` entry is the tombstone.
    * Source records stay immutable except inside an erasure: the update
      trigger now lets a change through only while the erasing transaction
      holds a row in ``erasure_in_progress`` (which no other connection can
      see before it commits, and which it deletes before committing).
    * ``source_records.erased`` marks a record whose personal data is gone.
    """
    db.executescript(
        """
        create table erasures (
            id integer primary key,
            customer_id integer not null,
            record_ids text not null,
            actor text not null,
            at text not null,
            reason text not null,
            audit_seq integer not null
        );
        create table erasure_in_progress (token text primary key);
        alter table source_records add column erased integer not null default 0;
        drop trigger source_records_no_update;
        create trigger source_records_no_update before update on source_records
        when not exists (select 1 from erasure_in_progress)
        begin
            select raise(abort, 'source records are immutable');
        end;
        """
    )


@MIGRATIONS(name="0007_touched_customers")
def _touched_customers(db: sqlite_utils.Database) -> None:
    """The customers some decision touched (a merge made them, or a decision
    changed them since: ``version > 1``), indexed: the KPIs read them apart
    from the million an import made and nobody touched. Only such a customer
    can have several members or stored values."""
    db.execute(
        "create index idx_customers_touched on customers (id) "
        "where created_by_decision is not null or version > 1"
    )


@MIGRATIONS(name="0008_organisations")
def _organisations(db: sqlite_utils.Database) -> None:
    """Organisation records: their website, fax and registration number as
    raw fields, those standardized, the tokens of the organisation's name
    for matching, and the entity each record describes ('person' or
    'organisation'). The standardized rows of older records are stale until
    ``python -m core standardize`` (their ``std_version`` says so)."""
    for field in ("website", "fax", "org_id"):
        db.execute(f"alter table source_records add column [{field}] text")
    for column in (
        "website", "website_status", "website_reason", "fax", "fax_status", "fax_reason",
        "fax_kind", "fax_ext", "org_id", "org_id_status", "org_id_reason", "org_id_kind",
        "company_tokens", "entity",
    ):  # fmt: skip
        db.execute(f"alter table standardized add column [{column}] text not null default ''")
    db.execute("alter table import_batches add column entity text not null default ''")
    for column in ("website", "org_id", "fax"):
        db.execute(f"create index idx_std_{column} on standardized ([{column}])")


@MIGRATIONS(name="0009_session_version")
def _session_version(db: sqlite_utils.Database) -> None:
    """Sessions that end when the account changes: ``users.session_version``
    is bumped whenever a user's role or password is reset or the user is
    disabled; a signed-in session carries the version it started with and
    ends as soon as the two differ (:func:`core.users.session_actor`,
    checked on every rerun of the app)."""
    db.execute("alter table users add column session_version integer not null default 1")


@MIGRATIONS(name="0010_login_throttle")
def _login_throttle(db: sqlite_utils.Database) -> None:
    """Login throttling instead of account locks (:func:`core.users.sign_in`).

    * ``login_throttle``: failed logins per client (``client:…``) and per
      user name as typed (``name:…``, known or not), when the last one was,
      and until when the next attempt must wait.
    * ``login_clients``: the clients each user signed in from; a name's
      wait does not hold up a client the user is known to use.
    """
    db.executescript(
        """
        create table login_throttle (
            key text primary key,
            failures integer not null,
            last_failed_at text not null,
            wait_until text
        );
        create table login_clients (
            username text not null,
            client text not null,
            last_ok_at text not null,
            primary key (username, client)
        );
        """
    )
