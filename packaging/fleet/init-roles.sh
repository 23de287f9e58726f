#!/bin/sh
# compose.yaml's PostgreSQL runs this once, on an empty data directory: packaging/fleet/roles.sql with
# the passwords from the compose secrets (never on a command line or in the environment).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$(cat /run/secrets/db_owner_password)" \
  -v watch_password="$(cat /run/secrets/db_watch_password)" \
  -f /docker-entrypoint-initdb.d/roles.sql.in
