#!/usr/bin/env bash
# Installs the pinned OpenAPI fuzzer (schemathesis, tools/fuzz/requirements.txt) into
# tools/fuzz/.venv, once: a venv whose requirements stamp matches is left as it is.
# Needs python3 >= 3.10 with venv (on Debian: apt-get install python3-venv) and PyPI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
stamp="$venv/requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [[ -x "$venv/bin/st" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
python="${PYTHON:-}"
if [[ -z "$python" ]]; then
  for candidate in python3.13 python3.12 python3.11 python3.10 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
        && "$candidate" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
      python="$candidate"
      break
    fi
  done
fi
if [[ -z "$python" ]]; then
  echo "tools/fuzz/install.sh: no python3 >= 3.10 with venv found (set PYTHON=...)" >&2
  exit 1
fi
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$here/requirements.txt"
echo "$want" > "$stamp"
"$venv/bin/st" --version
