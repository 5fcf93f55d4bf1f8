#!/usr/bin/env node

// The language server, for editors other than VS Code: `async-lint-server --stdio`
// (also --node-ipc, --socket=PORT, --pipe=NAME, as vscode-languageserver reads them).
require('../dist/server.js');
