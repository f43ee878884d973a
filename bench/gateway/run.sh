#!/usr/bin/env bash
# Gateway benchmark (not part of ./mvnw verify). Usage: bench/gateway/run.sh [GatewayBench options]
# e.g. bench/gateway/run.sh --sockets 2000 --scale-gateways 2
set -euo pipefail
cd "$(dirname "$0")/../.."
# the bench compiles against the installed local-infra, test-support and notify-client: `./mvnw verify` alone packages the services
# but installs nothing
infra="${HOME}/.m2/repository/io/notify/local-infra/0.1.0-SNAPSHOT/local-infra-0.1.0-SNAPSHOT.jar"
support="${HOME}/.m2/repository/io/notify/test-support/0.1.0-SNAPSHOT/test-support-0.1.0-SNAPSHOT.jar"
sdk="${HOME}/.m2/repository/io/notify/notify-client/0.1.0-SNAPSHOT/notify-client-0.1.0-SNAPSHOT.jar"
if [[ ! -f notification-service/target/quarkus-app/quarkus-run.jar || ! -f gateway-service/target/quarkus-app/quarkus-run.jar \
      || ! -f "$infra" || ! -f "$support" || ! -f "$sdk" ]]; then
  echo "A quarkus-run.jar or the installed local-infra, test-support or notify-client is missing: packaging local-infra, test-support, notify-client, notification-service and gateway-service first." >&2
  echo "Note: another engineer may be rebuilding them right now; if this build fails, retry later." >&2
  ./mvnw -q -B -DskipTests install -pl local-infra,test-support,notify-client,notification-service,gateway-service -am
fi
exec ./mvnw -q -B -f bench/pom.xml compile exec:exec -Dbench.main=io.notify.bench.gateway.GatewayBench \
  -Dbench.jvm="-Xms256m -Xmx1g" -Dbench.args="$*"
