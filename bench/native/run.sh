#!/usr/bin/env bash
# Footprint benchmark, JVM beside native (not part of ./mvnw verify). Usage: bench/native/run.sh [FootprintBench options]
# e.g. bench/native/run.sh --starts 3 --requests 200        (a smoke run)
#      bench/native/run.sh --build --modes jvm              (package the jars first and time that)
# Options and figures: bench/README.md, "Footprint benchmark".
set -euo pipefail
cd "$(dirname "$0")/../.."
# the bench compiles against the installed local-infra, test-support and notify-client, and `package -pl <service>` (--build) needs the
# parent installed
infra="${HOME}/.m2/repository/io/notify/local-infra/0.1.0-SNAPSHOT/local-infra-0.1.0-SNAPSHOT.jar"
support="${HOME}/.m2/repository/io/notify/test-support/0.1.0-SNAPSHOT/test-support-0.1.0-SNAPSHOT.jar"
sdk="${HOME}/.m2/repository/io/notify/notify-client/0.1.0-SNAPSHOT/notify-client-0.1.0-SNAPSHOT.jar"
build=0
for arg in "$@"; do [[ "$arg" == --build ]] && build=1; done
missing=0
for s in auth-service notification-service gateway-service; do
  [[ -f "$s/target/quarkus-app/quarkus-run.jar" ]] || missing=1
done
if [[ ! -f "$infra" || ! -f "$support" || ! -f "$sdk" ]] || [[ $build == 0 && $missing == 1 ]]; then
  modules=local-infra,test-support,notify-client
  [[ $build == 0 ]] && modules=local-infra,test-support,notify-client,auth-service,notification-service,gateway-service
  echo "A quarkus-run.jar or the installed local-infra, test-support or notify-client is missing: installing $modules first." >&2
  echo "Note: another engineer may be rebuilding them right now; if this build fails, retry later." >&2
  ./mvnw -q -B -DskipTests install -pl "$modules" -am
fi
exec ./mvnw -q -B -f bench/pom.xml compile exec:exec -Dbench.main=io.notify.bench.footprint.FootprintBench \
  -Dbench.jvm="-Xms256m -Xmx512m" -Dbench.args="$*"
