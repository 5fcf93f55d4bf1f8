#!/usr/bin/env bash
# npm run test:e2e: the extension in a real VS Code. Packages the .vsix, installs it into a fresh
# code-server, runs test/e2e/suite inside its extension host (real `vscode` API), then checks in
# the browser what a person sees (squiggle, hover, Quick Fix menu, highlighted directives) and keeps the screenshots in
# .e2e/shots/. Installs what it needs first (scripts/e2e/install.sh; skipped when present).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/scripts/e2e
bash "$HERE/install.sh"

VERSION=$(node -p "require('./package.json').version")
VSIX=$ROOT/async-lint-$VERSION.vsix
mkdir -p .e2e
rm -rf .e2e/run-* # state of earlier runs
echo "== packaging $VSIX"
npm run --silent package > .e2e/package.log 2>&1 || { cat .e2e/package.log; exit 1; }
RUN=$ROOT/.e2e/run-$$
mkdir -p "$RUN"
# The workspaces the editor opens live outside the repository: inside it, the repository's
# .gitignore (which ignores .e2e/) would hide their files from Lint Workspace, as from the CLI.
WS_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/async-lint-e2e-XXXXXX")

echo "== bundling the suite"
node -e "
require('esbuild').build({
  entryPoints: { index: 'test/e2e/suite/index.ts', 'extension.e2e': 'test/e2e/suite/extension.e2e.ts' },
  outdir: process.argv[1], bundle: true, platform: 'node', target: 'node20', format: 'cjs',
  external: ['vscode', 'mocha'], logLevel: 'warning',
}).catch(() => process.exit(1));" "$RUN/suite"

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
CS_PID_FILE=
stop_cs() { if [ -n "$CS_PID_FILE" ] && [ -f "$CS_PID_FILE" ]; then kill -- -"$(cat "$CS_PID_FILE")" 2>/dev/null || true; rm -f "$CS_PID_FILE"; fi; }
trap 'stop_cs; rm -rf "$WS_ROOT"' EXIT

# One fresh code-server (state in $1) with the .vsix installed; sets PORT and EXT.
start_fresh() {
  local D=$1
  mkdir -p "$D"
  (. "$HERE/env.sh"; export XDG_CONFIG_HOME=$D/xdg-config XDG_DATA_HOME=$D/xdg-data XDG_CACHE_HOME=$D/xdg-cache
   code-server --user-data-dir "$D/user" --extensions-dir "$D/extensions" --install-extension "$VSIX" > "$D/install.log" 2>&1) \
    || { cat "$D/install.log"; return 1; }
  EXT=$(ls -d "$D"/extensions/async-lint.async-lint-*)
  PORT=$(free_port)
  CS_PID_FILE=$D/cs.pid
  bash "$HERE/start-code-server.sh" "$PORT" "$D" --vscode-option enable-smoke-test-driver
}

status=1
for attempt in 1 2; do
  D=$RUN/attempt-$attempt
  echo "== extension tests in code-server (attempt $attempt)"
  start_fresh "$D"
  WS=$WS_ROOT/attempt-$attempt
  cp -r test/e2e/workspace "$WS"
  set +e
  PORT=$PORT node "$HERE/run-extension-tests.mjs" "$EXT" "$RUN/suite/index.js" "$WS"
  status=$?
  set -e
  stop_cs
  # Retry only when the harness itself timed out (a slow start), never after a test failed.
  [ "$status" -eq 124 ] || break
done
if [ "$status" -ne 0 ]; then
  echo "extension tests failed ($status); code-server log: $D/cs.log"
  exit "$status"
fi

echo "== what a person sees (squiggle, hover, Quick Fix menu)"
D=$RUN/ui
start_fresh "$D"
WS=$WS_ROOT/ui
cp -r test/e2e/workspace "$WS"
rm -rf .e2e/shots
PORT=$PORT OUT_DIR=$ROOT/.e2e/shots FILE=src/orders.ts MESSAGE="is not awaited" FIX_TITLE="Add 'await'" DIRECTIVE_FILE=src/idle.ts \
  node "$HERE/ui-check.mjs" "$WS"
stop_cs
rm -rf "$RUN"
echo "end-to-end: passed (screenshots in .e2e/shots)"
