#!/usr/bin/env bash
# usage: start-code-server.sh PORT DATADIR [extra code-server args...]
# Starts code-server (a real VS Code) in the background with all of its state in DATADIR, waits
# until it answers, and writes DATADIR/cs.pid and DATADIR/cs.log. It runs in its own session:
# stop it with `kill -- -$(cat DATADIR/cs.pid)` (killing only the main PID leaves helpers behind).
set -u
here=$(cd "$(dirname "$0")" && pwd); . "$here/env.sh"
PORT=$1; D=$2; shift 2
mkdir -p "$D/user/User"
export XDG_CONFIG_HOME=$D/xdg-config XDG_DATA_HOME=$D/xdg-data XDG_CACHE_HOME=$D/xdg-cache
[ -f "$D/user/User/settings.json" ] || cat > "$D/user/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "chat.disableAIFeatures": true, "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false, "update.mode": "none", "telemetry.telemetryLevel": "off", "git.enabled": false,
  "files.autoSave": "off", "workbench.tips.enabled": false, "security.workspace.trust.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden", "editor.minimap.enabled": false }
JSON
setsid code-server --user-data-dir "$D/user" --extensions-dir "$D/extensions" \
  --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override "$@" > "$D/cs.log" 2>&1 &
echo $! > "$D/cs.pid"
for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && exit 0; sleep 0.1; done
echo "code-server did not answer on :$PORT within 60 s; see $D/cs.log" >&2; exit 1
