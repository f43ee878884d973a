#!/bin/bash
# Runs once, on the first start with an empty data directory (docker-entrypoint-initdb.d):
# one login role and one database per service, passwords from the notify-db Secret.
# psql's :'var' quoting keeps the passwords out of the SQL text.
set -euo pipefail
for service in auth notification; do
  var="$(echo "$service" | tr a-z A-Z)_DB_PASSWORD"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       --set role="$service" --set pw="${!var}" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'pw';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
