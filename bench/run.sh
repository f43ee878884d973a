#!/usr/bin/env bash
# Inbox latency benchmark (not part of ./mvnw verify). Usage: bench/run.sh [InboxBench options]
# e.g. bench/run.sh --requests 2000 --notifications 200000
set -euo pipefail
cd "$(dirname "$0")/.."
jar=notification-service/target/quarkus-app/quarkus-run.jar
infra="${HOME}/.m2/repository/io/notify/local-infra/0.1.0-SNAPSHOT/local-infra-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$jar" || ! -f "$infra" ]]; then
  echo "$jar or the installed local-infra is missing: packaging notification-service (and local-infra) first." >&2
  echo "Note: another engineer may be rebuilding it right now; if this build fails, retry later." >&2
  ./mvnw -q -B -DskipTests install -pl local-infra,notification-service -am
fi
exec ./mvnw -q -B -f bench/pom.xml compile exec:exec -Dbench.args="$*"
