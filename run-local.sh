#!/usr/bin/env bash
# Runs the whole suite locally: PostgreSQL + Kafka + auth, notification and gateway services and the
# dashboard behind one origin (http://127.0.0.1:8080). Builds what is missing or stale first. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
export NOTIFY_LAUNCH_STARTED_MS="$(date +%s%3N)"

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && [ -z "${NOTIFY_PG_BIN:-}" ]; then
  echo "PostgreSQL server binaries not found: install them with 'sudo apt-get install postgresql-15'" \
       "(or point NOTIFY_PG_BIN at a bin/ folder holding postgres and initdb)." >&2
  exit 1
fi

stale() { # $1 = build output, $2.. = inputs
  local out=$1; shift
  [ ! -e "$out" ] || [ -n "$(find "$@" -newer "$out" -print -quit 2>/dev/null)" ]
}
if stale local-infra/target/classpath.txt local-infra/src local-infra/pom.xml pom.xml \
   || stale auth-service/target/quarkus-app/quarkus-run.jar auth-service/src auth-service/pom.xml \
   || stale notification-service/target/quarkus-app/quarkus-run.jar notification-service/src notification-service/pom.xml \
   || stale gateway-service/target/quarkus-app/quarkus-run.jar gateway-service/src gateway-service/pom.xml; then
  echo "Building the services (first run takes a few minutes) ..."
  ./mvnw -q -B -DskipTests install -pl local-infra,auth-service,notification-service,gateway-service -am
fi

# the dashboard, served by the one origin on / (needs Node.js 20+ and npm; without them the origin serves the API only)
if stale frontend/dist/index.html frontend/apps/dashboard/src frontend/apps/dashboard/index.html frontend/apps/dashboard/*.json frontend/apps/dashboard/*.js frontend/apps/dashboard/*.ts \
   frontend/packages/client/src frontend/packages/react/src frontend/package.json frontend/package-lock.json \
   frontend/docs-site \
   auth-service/target/openapi/openapi.json notification-service/target/openapi/openapi.json; then
  if command -v npm >/dev/null 2>&1; then
    echo "Building the dashboard ..."
    (cd frontend && node scripts/install.mjs && npm run --silent codegen && npm run --silent build && node docs-site/build.mjs)
  else
    echo "Node.js/npm not found: the dashboard is not built (install Node.js 20+ for http://127.0.0.1:8080/)." >&2
  fi
fi

exec java -Dnotify.repo.root="$PWD" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "local-infra/target/classes:$(cat local-infra/target/classpath.txt)" \
  io.notify.infra.launch.LocalMain
