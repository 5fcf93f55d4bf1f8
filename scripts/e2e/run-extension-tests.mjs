// Runs the extension's mocha suite inside code-server's extension host (a real VS Code), the way
// @vscode/test-web does: the workbench reads a `payload` URL parameter and calls
// window.codeAutomationExit(code) when the suite ends. code-server must be started with
// `--vscode-option enable-smoke-test-driver`, or the payload is ignored and this times out.
// usage: PORT=8765 node run-extension-tests.mjs <extensionDevelopmentPath> <extensionTestsPath.js> <folder>
// needs: playwright-core (npm), /usr/bin/chromium (Debian). Exit: the suite's code; 124 on timeout.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PORT = process.env.PORT || 8765;
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 600000);
const [devPath, testsPath, folder] = process.argv.slice(2).map((p) => path.resolve(p));
const remote = (p) => `vscode-remote://127.0.0.1:${PORT}${p}`;
const payload = [
  ['extensionDevelopmentPath', remote(devPath)],
  ['extensionTestsPath', remote(testsPath)],
];
const url = `http://127.0.0.1:${PORT}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-chromium-'));
const ctx = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
// The extension host reports its exit code through codeAutomationExit (or the timer gives up).
let finish;
const exited = new Promise((resolve) => {
  finish = resolve;
});
const timer = setTimeout(() => {
  console.log(`timed out after ${TIMEOUT_MS} ms waiting for the extension host to exit`);
  finish(124);
}, TIMEOUT_MS);
await page.exposeFunction('codeAutomationLog', (_type, args) => console.log(...args)); // mocha's output
await page.exposeFunction('codeAutomationExit', (code) => {
  clearTimeout(timer);
  finish(code);
});
await page.goto(url);
const exitCode = await exited;
await ctx.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
process.exit(exitCode);
