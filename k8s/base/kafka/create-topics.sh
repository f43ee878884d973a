#!/bin/bash
# Creates the suite's topics once Kafka answers. kafka-config/topics.txt holds one line per topic:
# name, partition count, and optionally comma-separated topic settings (key=value,...), which are
# also applied to a topic that already exists. Then proves each has the partition count the
# services rely on: gateways need notification-events in ONE partition for a total order, so a
# mismatch fails the Job loudly.
set -euo pipefail
bootstrap="${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}"
topics="${TOPICS_FILE:-/opt/kafka-config/topics.txt}"
bin=/opt/kafka/bin
until "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --list >/dev/null 2>&1; do
  echo "waiting for Kafka at $bootstrap"
  sleep 3
done
while read -r topic partitions settings; do
  [ -z "$topic" ] && continue
  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1
  if [ -n "${settings:-}" ]; then
    "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type topics \
      --entity-name "$topic" --add-config "$settings"
  fi
  actual=$("$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --describe --topic "$topic" \
    | sed -n 's/.*PartitionCount: *\([0-9]*\).*/\1/p' | head -1)
  if [ "$actual" != "$partitions" ]; then
    echo "topic $topic has $actual partitions, expected $partitions" >&2
    exit 1
  fi
  echo "topic $topic: $partitions partition(s) ${settings:-}"
done < "$topics"
