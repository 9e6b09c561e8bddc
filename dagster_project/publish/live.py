"""Live access for funders on PostgreSQL: the published table with row-level security, one role per funder.

When the warehouse runs on PostgreSQL, `delivery.indicateurs_publies` (secrecy applied, the same rows as the
extracts) is copied to the server and each funder gets a login role `pric_<funder>` that sees only its own rows:
one policy per role, whose condition is the extract's own scope (`extracts.scope_condition`). Roles get no
password here (the test cluster trusts loopback); on a real server set one with `alter role … password`.
"""
from __future__ import annotations

import duckdb

from dagster_project.publish.extracts import PUBLISHED_TABLE, recipients, scope_condition
from ingestion.engines import PostgresSettings, copy_table_to_postgres

FUNDERS_GROUP = "pric_financeurs"


def role_name(funder_code: str) -> str:
    return f"pric_{funder_code}"


def publish_postgres(con: duckdb.DuckDBPyConnection, settings: PostgresSettings) -> tuple[int, list[str]]:
    """Copy the published table to PostgreSQL and (re)create the funders' roles and policies. Returns the rows
    published and the funders' roles."""
    schema, table = PUBLISHED_TABLE.split(".")
    funders = recipients(con)
    pg = settings.connect()
    try:
        with pg.cursor() as cursor:
            cursor.execute(f"create schema if not exists {schema}")
            for role in [FUNDERS_GROUP] + [role_name(r.code) for r in funders]:
                # Roles belong to the cluster, not the database: create once, keep across runs.
                cursor.execute(f"""do $$ begin
                    if not exists (select from pg_roles where rolname = '{role}') then
                        create role {role} {'nologin' if role == FUNDERS_GROUP else 'login in role ' + FUNDERS_GROUP};
                    end if; end $$""")
        pg.commit()
        rows = copy_table_to_postgres(con, pg, schema, table)
        with pg.cursor() as cursor:
            cursor.execute(f"grant usage on schema {schema} to {FUNDERS_GROUP}")
            cursor.execute(f"grant select on {PUBLISHED_TABLE} to {FUNDERS_GROUP}")
            # The owner bypasses the policies unless forced; funders never own the table.
            cursor.execute(f"alter table {PUBLISHED_TABLE} enable row level security")
            cursor.execute(f"alter table {PUBLISHED_TABLE} force row level security")
            cursor.execute(f"create policy proprietaire on {PUBLISHED_TABLE} for all to {settings.user} "
                           f"using (true) with check (true)")
            for funder in funders:
                cursor.execute(f"create policy perimetre_{funder.code} on {PUBLISHED_TABLE} for select "
                               f"to {role_name(funder.code)} using ({scope_condition(funder)})")
        pg.commit()
    finally:
        pg.close()
    return rows, [role_name(r.code) for r in funders]
