#!/bin/sh
# Runs a command with Node >= 22.12 (wrangler and vitest need it). Where the machine's Node
# is older, a current one is fetched once from the npm registry (package `node@24`) into
# ~/.cache/hearken and put first on PATH.
set -e
recent() {
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' 2>/dev/null
}
if ! recent; then
  dir="${XDG_CACHE_HOME:-$HOME/.cache}/hearken/node24"
  if [ ! -x "$dir/node_modules/node/bin/node" ]; then
    echo "Node $(node -v 2>/dev/null || echo '(none)') is older than 22.12: installing node@24 into $dir" >&2
    npm install --prefix "$dir" --no-save --no-package-lock --loglevel=error node@24 >&2
  fi
  PATH="$dir/node_modules/node/bin:$PATH"
  export PATH
fi
exec "$@"
