"""Database triggers that make the ballot ledger write-once (defence in depth below the ORM's refusal).

PostgreSQL: row triggers refuse UPDATE and DELETE of ballots, choices and seals (TRUNCATE needs the
table owner, which the application role is not — the test runner's flush uses it). SQLite: UPDATE is
refused by a trigger; DELETE is refused by the ORM only (the test runner empties tables with DELETE).
"""

from __future__ import annotations

from typing import Any

TABLES = ("voting_ballot", "voting_ballotchoice", "voting_ledgerseal")
MESSAGE = "voting ledger is write-once"


def install(connection: Any) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for t in TABLES:
                cur.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {t}_no_update BEFORE UPDATE ON {t} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                )
        elif connection.vendor == "postgresql":
            cur.execute(
                "CREATE OR REPLACE FUNCTION wenming_voting_write_once() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END; $$"
            )
            for t in TABLES:
                cur.execute(f"DROP TRIGGER IF EXISTS {t}_write_once ON {t}")
                cur.execute(
                    f"CREATE TRIGGER {t}_write_once BEFORE UPDATE OR DELETE ON {t} "
                    "FOR EACH ROW EXECUTE FUNCTION wenming_voting_write_once()"
                )


def remove(connection: Any) -> None:
    with connection.cursor() as cur:
        for t in TABLES:
            if connection.vendor == "sqlite":
                cur.execute(f"DROP TRIGGER IF EXISTS {t}_no_update")
            elif connection.vendor == "postgresql":
                cur.execute(f"DROP TRIGGER IF EXISTS {t}_write_once ON {t}")
