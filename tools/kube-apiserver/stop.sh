#!/usr/bin/env bash
# Copied from ../shared/kube-apiserver/ (the project's shared folder; 2026-12-04), unchanged.
# Stops what start.sh RUN started: the API server first, then etcd; each gets 10 s after SIGTERM, then SIGKILL.
RUN=${1:?run folder}
[ -f "$RUN/pids" ] || exit 0
for pid in $(tac "$RUN/pids"); do
  kill "$pid" 2>/dev/null || continue
  for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
done
rm -f "$RUN/pids"
