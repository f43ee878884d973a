#!/usr/bin/env bash
# Installs the pinned OpenAPI linter (@redocly/cli, package-lock.json) into tools/openapi-lint/node_modules, once:
# an install whose lock stamp matches is left as it is. Needs Node.js 20.19+ with npm and the npm registry.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
stamp="$here/node_modules/.package-lock.sha256"
want="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
if [[ -x "$here/node_modules/.bin/redocly" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
REDOCLY_SUPPRESS_UPDATE_NOTICE=true REDOCLY_TELEMETRY=off node_modules/.bin/redocly --version
