#!/bin/sh
# First start (no PG_VERSION in PGDATA): initdb, then create POSTGRES_USER with POSTGRES_PASSWORD and POSTGRES_DB
# through a server that listens on the Unix socket only, so the health check (TCP) stays red until the database
# is ready. Every start then runs postgres in the foreground, listening on all addresses of the container;
# clients other than local ones need a password (scram-sha-256). Extra arguments go to postgres (-c name=value).
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
USER_NAME=${POSTGRES_USER:-fitserve}
DB_NAME=${POSTGRES_DB:-fitserve}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "fitserve-postgres: POSTGRES_PASSWORD must be set for the first start (it initialises $PGDATA)" >&2
    exit 1
  fi
  echo "fitserve-postgres: initialising $PGDATA (user $USER_NAME, database $DB_NAME)"
  initdb -D "$PGDATA" -U postgres --encoding=UTF8 --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  {
    echo "host all all 0.0.0.0/0 scram-sha-256"
    echo "host all all ::/0 scram-sha-256"
  } >>"$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -w -o "-c listen_addresses=''" start >/dev/null
  # the values travel as psql variables, quoted by psql (:'name' / :"name"), never spliced into SQL
  psql -v ON_ERROR_STOP=1 -q -U postgres -d postgres -v user="$USER_NAME" -v db="$DB_NAME" -v password="$POSTGRES_PASSWORD" <<'SQL'
SET password_encryption = 'scram-sha-256';
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"user";
SQL
  pg_ctl -D "$PGDATA" -w -m fast stop >/dev/null
  echo "fitserve-postgres: initialised"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
