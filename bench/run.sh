#!/usr/bin/env bash
# Inbox latency benchmark (not part of ./mvnw verify). Usage: bench/run.sh [InboxBench options]
# e.g. bench/run.sh --requests 2000 --notifications 200000
set -euo pipefail
cd "$(dirname "$0")/.."
jar=notification-service/target/quarkus-app/quarkus-run.jar
infra="${HOME}/.m2/repository/io/notify/local-infra/0.1.0-SNAPSHOT/local-infra-0.1.0-SNAPSHOT.jar"
support="${HOME}/.m2/repository/io/notify/test-support/0.1.0-SNAPSHOT/test-support-0.1.0-SNAPSHOT.jar"
sdk="${HOME}/.m2/repository/io/notify/notify-client/0.1.0-SNAPSHOT/notify-client-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$jar" || ! -f "$infra" || ! -f "$support" || ! -f "$sdk" ]]; then
  echo "$jar or the installed local-infra, test-support or notify-client is missing: packaging notification-service (and local-infra, test-support, notify-client) first." >&2
  echo "Note: another engineer may be rebuilding it right now; if this build fails, retry later." >&2
  ./mvnw -q -B -DskipTests install -pl local-infra,test-support,notify-client,notification-service -am
fi
exec ./mvnw -q -B -f bench/pom.xml compile exec:exec -Dbench.args="$*"
