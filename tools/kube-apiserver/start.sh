#!/usr/bin/env bash
# Copied from ../shared/kube-apiserver/ (the project's shared folder; 2026-12-04) so that a clone runs it
# without shared/ beside it. Changes since: KUBE_APISERVER_DIR as the default DEST; a missing binary fails
# at once; a server that does not become ready is stopped before start.sh exits.
# Starts the etcd and kube-apiserver that build.sh made, on free loopback ports, with data in RUN (a new
# folder), and writes RUN/kubeconfig (token auth, cluster-admin). Prints the kubeconfig path when the API
# server is ready; stop both with stop.sh RUN.
#   usage: start.sh RUN [DEST]
set -euo pipefail
RUN=${1:?run folder}; DEST=${2:-${KUBE_APISERVER_DIR:-$HOME/.cache/kube-apiserver}}
for bin in etcd kube-apiserver; do
  [ -x "$DEST/$bin" ] || { echo "start.sh: $DEST/$bin is missing: build it with tools/kube-apiserver/build.sh" >&2; exit 1; }
done
mkdir -p "$RUN"; RUN=$(cd "$RUN" && pwd)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ETCD_PORT=$(free_port); PEER_PORT=$(free_port); API_PORT=$(free_port)
TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
openssl genrsa -out "$RUN/sa.key" 2048 2>/dev/null; openssl rsa -in "$RUN/sa.key" -pubout -out "$RUN/sa.pub" 2>/dev/null
echo "$TOKEN,admin,admin,\"system:masters\"" > "$RUN/tokens.csv"
"$DEST/etcd" --data-dir "$RUN/etcd" --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" --listen-peer-urls "http://127.0.0.1:$PEER_PORT" \
  --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" --initial-cluster "default=http://127.0.0.1:$PEER_PORT" \
  > "$RUN/etcd.log" 2>&1 &
echo $! > "$RUN/pids"
"$DEST/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" --secure-port "$API_PORT" --bind-address 127.0.0.1 \
  --cert-dir "$RUN/certs" --token-auth-file "$RUN/tokens.csv" --authorization-mode RBAC \
  --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$RUN/sa.pub" \
  --service-account-signing-key-file "$RUN/sa.key" --service-cluster-ip-range 10.96.0.0/16 > "$RUN/kube-apiserver.log" 2>&1 &
echo $! >> "$RUN/pids"
cat > "$RUN/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: local, cluster: {server: "https://127.0.0.1:$API_PORT", insecure-skip-tls-verify: true}}]
users: [{name: admin, user: {token: "$TOKEN"}}]
contexts: [{name: local, context: {cluster: local, user: admin}}]
current-context: local
KC
for _ in $(seq 120); do
  curl -sk -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$API_PORT/readyz" | grep -qx ok && { echo "$RUN/kubeconfig"; exit 0; }
  sleep 0.5
done
echo "kube-apiserver not ready after 60 s; see $RUN/kube-apiserver.log and $RUN/etcd.log" >&2
bash "$(dirname "$0")/stop.sh" "$RUN"
exit 1
