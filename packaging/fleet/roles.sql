-- nodeward: the PostgreSQL roles of a fleet of watchers, least privilege (docs/fleet.md).
-- Run once as a PostgreSQL superuser (or a role with CREATEROLE and CREATEDB):
--   psql -v owner_password="$(cat owner.pw)" -v watch_password="$(cat watch.pw)" -f roles.sql
-- nodeward_owner owns the database and its schema: `nodeward store init` (and upgrades) run as it.
-- nodeward_watch is what every watcher and `nodeward status` / `user` connect as: it reads and
-- writes rows, and cannot create, alter or drop anything.
CREATE ROLE nodeward_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE nodeward_watch LOGIN PASSWORD :'watch_password' CONNECTION LIMIT 50;
CREATE DATABASE nodeward OWNER nodeward_owner;
\connect nodeward
REVOKE ALL ON DATABASE nodeward FROM PUBLIC;
GRANT CONNECT ON DATABASE nodeward TO nodeward_owner, nodeward_watch;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO nodeward_watch;
-- Tables and sequences the owner creates, now and in later versions of the schema.
ALTER DEFAULT PRIVILEGES FOR ROLE nodeward_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO nodeward_watch;
ALTER DEFAULT PRIVILEGES FOR ROLE nodeward_owner IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO nodeward_watch;
