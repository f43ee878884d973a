#!/usr/bin/env bash
# Writes the Secrets' source files for one overlay into <overlay>/secrets/ (git-ignored):
# PostgreSQL superuser and per-service passwords, the WebSocket gateways' client secret (auth-service's
# client notify-gateway) and the RS256 signing key (PKCS#8 PEM).
# Existing files are kept: the database passwords only take effect on PostgreSQL's first start.
#   k8s/make-secrets.sh k8s/overlays/prod
set -euo pipefail
overlay="${1:?usage: make-secrets.sh <overlay directory>}"
dir="$overlay/secrets"
mkdir -p "$dir"
chmod 700 "$dir"
umask 077
for name in postgres-password auth-db-password notification-db-password gateway-client-secret; do
  [ -s "$dir/$name" ] || openssl rand -base64 32 | tr -d '/+=\n' > "$dir/$name"
done
[ -s "$dir/jwt-private.pem" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/jwt-private.pem" 2>/dev/null
echo "secrets for $overlay are in $dir"
