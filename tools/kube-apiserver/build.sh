#!/usr/bin/env bash
# Copied from ../shared/kube-apiserver/ (the project's shared folder; 2026-12-04) so that a clone builds and
# runs it without shared/ beside it. Changes since: KUBE_APISERVER_DIR as the default DEST, a clear error
# when go is missing.
# Builds a real etcd and kube-apiserver from the Go module proxy into DEST (default: ~/.cache/kube-apiserver),
# for tests that apply manifests to a real Kubernetes API server (no kubelet: objects are validated,
# defaulted, admitted and stored; nothing runs). Needs go (1.24+). Takes a few minutes the first time;
# afterwards it only checks the version and exits (CI calls it on every run: built once per machine).
#   usage: build.sh [DEST]     env: KUBE_APISERVER_DIR (default DEST: ~/.cache/kube-apiserver),
#                              K8S_VERSION (default v1.34.4), ETCD_VERSION (default v3.6.16)
set -euo pipefail
DEST=${1:-${KUBE_APISERVER_DIR:-$HOME/.cache/kube-apiserver}}
K8S=${K8S_VERSION:-v1.34.4}; ETCD=${ETCD_VERSION:-v3.6.16}
STAGING=v0.${K8S#v1.}                     # staging modules (k8s.io/api, …) carry v0.<minor>.<patch>
mkdir -p "$DEST"; DEST=$(cd "$DEST" && pwd)
[ -x "$DEST/etcd" ] && [ -x "$DEST/kube-apiserver" ] && "$DEST/kube-apiserver" --version | grep -q "$K8S" && { echo "up to date: $DEST"; exit 0; }
command -v go >/dev/null || { echo "build.sh: go (1.24 or newer) is needed to build etcd and kube-apiserver" >&2; exit 1; }
export GOFLAGS=-mod=mod GOWORK=off
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
src() { go mod download -json "$1" | python3 -c 'import sys,json; print(json.load(sys.stdin)["Dir"])'; }

# etcd: its go.mod points sibling modules at ../ paths; drop those replaces and take the published modules.
cp -r "$(src go.etcd.io/etcd/server/v3@$ETCD)" "$work/etcd" && chmod -R u+w "$work/etcd"
python3 - "$work/etcd/go.mod" <<'PY'
import re, sys
p = sys.argv[1]; s = open(p).read()
s = re.sub(r'replace \((.|\n)*?\)\n', '', s, count=1)
s = re.sub(r'replace \S+ => \./FORBIDDEN_DEPENDENCY\n', '', s)
open(p, 'w').write(s)
PY
(cd "$work/etcd" && go build -o "$DEST/etcd" .)

# kube-apiserver: k8s.io/kubernetes replaces its staging modules with ./staging paths that a module zip
# leaves out; require the published ones at the matching version instead.
cp -r "$(src k8s.io/kubernetes@$K8S)" "$work/k8s" && chmod -R u+w "$work/k8s"
rm -f "$work/k8s/go.work" "$work/k8s/go.work.sum"
python3 - "$work/k8s/go.mod" "$STAGING" <<'PY'
import re, sys
p, v = sys.argv[1], sys.argv[2]; s = open(p).read()
staging = set(re.findall(r'^\s*(k8s\.io/[\w\-.]+) => \./staging', s, re.M))
s = re.sub(r'^\s*k8s\.io/[\w\-.]+ => \./staging/src/\S+\n', '', s, flags=re.M)
s = re.sub(r'replace \(\s*\)\n', '', s)
for m in staging:
    s = re.sub(r'(\s' + re.escape(m) + r') v0\.0\.0', r'\1 ' + v, s)
open(p, 'w').write(s)
PY
(cd "$work/k8s" && go build -ldflags "-X k8s.io/component-base/version.gitVersion=$K8S -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$(echo "$K8S" | cut -d. -f2)" -o "$DEST/kube-apiserver" ./cmd/kube-apiserver)
echo "built: $DEST/etcd $DEST/kube-apiserver"
