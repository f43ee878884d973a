#!/usr/bin/env bash
# Capacity bench (not part of ./mvnw verify): the sequence lock's and one events partition's ceilings on this machine,
# audience counts, and the Kafka intake's throughput beside REST sends, which bench/README.md's capacity model
# extrapolates from. Usage: bench/capacity/run.sh [--seconds 5] [--only intake,...]
set -euo pipefail
cd "$(dirname "$0")/../.."
infra="${HOME}/.m2/repository/io/notify/local-infra/0.1.0-SNAPSHOT/local-infra-0.1.0-SNAPSHOT.jar"
support="${HOME}/.m2/repository/io/notify/test-support/0.1.0-SNAPSHOT/test-support-0.1.0-SNAPSHOT.jar"
sdk="${HOME}/.m2/repository/io/notify/notify-client/0.1.0-SNAPSHOT/notify-client-0.1.0-SNAPSHOT.jar"
if [[ ! -f notification-service/target/quarkus-app/quarkus-run.jar || ! -f "$infra" || ! -f "$support" || ! -f "$sdk" ]]; then
  ./mvnw -q -B -DskipTests install -pl local-infra,test-support,notify-client,notification-service -am
fi
exec ./mvnw -q -B -f bench/pom.xml compile exec:exec -Dbench.main=io.notify.bench.capacity.CapacityBench \
  -Dbench.args="$*"
