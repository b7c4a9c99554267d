"""PR3: ID numbers and phones never reach the database in plaintext (SQLite file bytes / PostgreSQL)."""

from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from wenming.core import crypto
from wenming.people.models import Courier

ID_NUMBER = "21010219900307109X"
PHONE = "13904051234"


def _courier(outlet) -> Courier:
    c = Courier(
        outlet=outlet,
        name="赵静怡",
        gender="F",
        birth_date=date(1990, 3, 7),
        started_delivery_on=date(2015, 6, 1),
    )
    c.set_id_number("21010219900307109x")
    c.set_phone("+86 139-0405-1234")
    c.save()
    return c


def _needles() -> list[bytes]:
    out = []
    for value in (ID_NUMBER, PHONE, ID_NUMBER.lower(), "+86" + PHONE):
        out += [value.encode("utf-8"), value.encode("utf-16-le")]
    return out


@pytest.mark.django_db(transaction=True)
def test_no_plaintext_id_or_phone_in_storage(org_tree):
    # given a committed courier with an ID number and a phone
    c = _courier(org_tree.shenyang_outlet)
    assert c.reveal_id_number() == ID_NUMBER and c.reveal_phone() == PHONE
    assert c.id_number_enc.startswith(f"{crypto.KEY_ID}:") and c.phone_enc.startswith(f"{crypto.KEY_ID}:")
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA wal_checkpoint(FULL)")
        db = Path(connection.settings_dict["NAME"])
        blob = b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal"), Path(f"{db}-journal")) if p.exists())
        # the read really covers the row: its name and masked values are there
        assert "赵静怡".encode() in blob and b"2****************X" in blob and b"139****1234" in blob
        for needle in _needles():
            assert needle not in blob, needle
    else:
        # every text-like column of every table in the schema, like grepping a pg_dump
        with connection.cursor() as cur:
            cur.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() "
                "AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')"
            )
            columns = cur.fetchall()
            assert ("people_courier", "id_number_enc") in columns
            seen_name = False
            for table, column in columns:
                cur.execute(f'SELECT "{column}"::text FROM "{table}" WHERE "{column}" IS NOT NULL')
                for (value,) in cur.fetchall():
                    seen_name = seen_name or value == "赵静怡"
                    for needle in (ID_NUMBER, PHONE, ID_NUMBER.lower()):
                        assert needle not in value, (table, column)
            assert seen_name
