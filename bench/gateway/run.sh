#!/usr/bin/env bash
# Gateway benchmark (not part of ./mvnw verify). Usage: bench/gateway/run.sh [GatewayBench options]
# e.g. bench/gateway/run.sh --sockets 2000 --scale-gateways 2
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ! -f notification-service/target/quarkus-app/quarkus-run.jar || ! -f gateway-service/target/quarkus-app/quarkus-run.jar ]]; then
  echo "A quarkus-run.jar is missing: packaging local-infra, notification-service and gateway-service first." >&2
  echo "Note: another engineer may be rebuilding them right now; if this build fails, retry later." >&2
  ./mvnw -q -B -DskipTests install -pl local-infra,notification-service,gateway-service -am
fi
exec ./mvnw -q -B -f bench/pom.xml compile exec:exec -Dbench.main=io.notify.bench.gateway.GatewayBench \
  -Dbench.jvm="-Xms256m -Xmx1g" -Dbench.args="$*"
