"""The checks every decision runs before it commits."""

from __future__ import annotations

import pytest

from core.errors import IntegrityError
from core.stewardship.decisions import validate


def test_a_value_from_a_record_that_is_not_a_member_is_caught(matched):
    conn = matched.conn
    conn.execute("begin immediate")
    conn.execute(
        "insert into customer_values (customer_id, field, value, source_record_id, rule, "
        "chosen_at) values (1, 'name', '某人', 2, 'valid', 'now')"
    )
    with pytest.raises(IntegrityError, match="comes from record 2, which is not one of its"):
        validate(conn, [1])
    conn.execute("rollback")


def test_a_customer_left_without_records_or_a_retired_one_with_records_is_caught(matched):
    conn = matched.conn
    conn.execute("begin immediate")
    conn.execute("update customer_members set customer_id = 2 where record_id = 1")
    with pytest.raises(IntegrityError, match="customer 1 was left without records"):
        validate(conn, [1, 2])
    conn.execute("update customers set status = 'retired' where id = 2")
    with pytest.raises(IntegrityError, match="retired customer 2 still has records"):
        validate(conn, [2])
    conn.execute("rollback")


def test_two_primary_values_of_one_field_are_caught(matched):
    conn = matched.conn
    conn.execute("begin immediate")
    conn.executemany(
        "insert into customer_values (customer_id, field, value, source_record_id, rule, "
        "chosen_at, is_primary) values (1, 'mobile', ?, 1, 'valid', 'now', 1)",
        [("+861",), ("+862",)],
    )
    with pytest.raises(IntegrityError, match="two primary values of mobile"):
        validate(conn, [1])
    conn.execute("rollback")
