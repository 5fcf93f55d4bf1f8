// Edit latency of the language server, through a real LSP client over stdio: start the server,
// initialize, open one file, wait for its first diagnostics (a cold project), then make edits one
// at a time and time each from the didChange to the diagnostics of that version. Works with push
// diagnostics (publishDiagnostics, matched by version) and pull diagnostics (textDocument/diagnostic).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { EDIT_MARK } from './corpus.mjs';
import { percentile, median } from './lib/measure.mjs';

const require = createRequire(import.meta.url);
const proto = require('vscode-languageserver-protocol/node');

const LANGUAGE_IDS = {
  '.ts': 'typescript',
  '.tsx': 'typescriptreact',
  '.js': 'javascript',
  '.jsx': 'javascriptreact',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.py': 'python',
};

/**
 * The edits to make: `count` insertions spread over the file. After a generated edit mark the
 * inserted line is a real statement (`await sleep(n);`, the file imports sleep); elsewhere it is
 * a comment line, valid anywhere.
 */
export function planEdits(text, count, file) {
  const lines = text.split('\n');
  const marks = [];
  lines.forEach((l, i) => {
    if (l.trim() === EDIT_MARK) marks.push(i);
  });
  const python = file.endsWith('.py');
  const points = [];
  if (marks.length >= count) {
    for (let k = 0; k < count; k++) {
      const line = marks[Math.floor(((k * 7919) % count) * (marks.length / count))];
      const indent = /^\s*/.exec(lines[line])[0];
      points.push({ line: line + 1, text: (n) => `${indent}await sleep(${n});\n` });
    }
  } else {
    for (let k = 0; k < count; k++) {
      const line = Math.floor((((k * 7919) % count) + 0.5) * (lines.length / count));
      points.push({
        line,
        text: (n) => (python ? `# async-lint bench edit ${n}\n` : `// async-lint bench edit ${n}\n`),
      });
    }
  }
  return points;
}

function readStatusKb(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `mode`: 'pull' declares pull-diagnostics support (as VS Code does); 'push' does not.
 * @param {{ serverJs: string, file: string, workspace: string, edits?: number, warmup?: number, mode?: 'pull' | 'push', timeoutMs?: number, nodeArgs?: string[], serverArgs?: string[], env?: Record<string,string> }} options
 */
export async function measureLsp(options) {
  const { file, workspace, edits = 20, warmup = 3, mode = 'pull', timeoutMs = 60_000 } = options;
  const serverJs = path.resolve(options.serverJs);
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), serverJs, '--stdio', ...(options.serverArgs ?? [])],
    {
      cwd: workspace,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    },
  );
  const stderr = [];
  child.stderr.on('data', (b) => {
    stderr.push(b.toString());
    if (stderr.length > 200) stderr.shift();
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const conn = proto.createProtocolConnection(
    new proto.StreamMessageReader(child.stdout),
    new proto.StreamMessageWriter(child.stdin),
  );
  const log = [];
  let pullRegistered = false;

  conn.onRequest('workspace/configuration', (params) =>
    params.items.map((item) =>
      item.section === 'asyncLint' ? { enable: true, rules: {}, run: 'onType', exclude: [] } : null,
    ),
  );
  conn.onRequest('client/registerCapability', (params) => {
    if (params.registrations.some((r) => r.method === 'textDocument/diagnostic')) pullRegistered = true;
    return null;
  });
  conn.onRequest('client/unregisterCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('workspace/workspaceFolders', () => [
    { uri: pathToFileURL(workspace).href, name: path.basename(workspace) },
  ]);
  conn.onRequest('workspace/diagnostic/refresh', () => null);
  conn.onRequest('window/showMessageRequest', () => null);
  conn.onNotification('window/logMessage', (p) => {
    log.push(p.message);
    if (log.length > 200) log.shift();
  });

  const uri = pathToFileURL(file).href;
  /** Waiters for pushed diagnostics: resolve when a publish for `uri` reaches `version`. */
  const waiters = [];
  let lastPublish;
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri !== uri) return;
    lastPublish = { version: p.version, count: p.diagnostics.length, at: performance.now() };
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (p.version === undefined || p.version === null || p.version >= w.version) {
        waiters.splice(i, 1);
        w.resolve(lastPublish);
      }
    }
  });
  /** Analysis times the server reports (asyncLint/status elapsedMs), apart from any debounce. */
  const analysisMs = [];
  conn.onNotification('asyncLint/status', (p) => {
    if (p.uri === uri && typeof p.elapsedMs === 'number') analysisMs.push(p.elapsedMs);
  });
  conn.listen();

  /** The answer, or an error when the server takes too long or dies first. */
  const withTimeout = (promise, what) => {
    let timer;
    return Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
      exited.then((e) => {
        throw new Error(`the server exited (${e.code ?? e.signal}) while waiting for ${what}`);
      }),
    ]).finally(() => clearTimeout(timer));
  };

  try {
    const init = await withTimeout(
      conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(workspace).href,
        workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: path.basename(workspace) }],
        capabilities: {
          workspace: {
            configuration: true,
            workspaceFolders: true,
            didChangeWatchedFiles: { dynamicRegistration: true },
          },
          textDocument: {
            synchronization: { dynamicRegistration: false, didSave: true },
            publishDiagnostics: { versionSupport: true, relatedInformation: false },
            diagnostic: mode === 'pull' ? { dynamicRegistration: true, relatedDocumentSupport: false } : undefined,
            codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
          },
          window: { workDoneProgress: true },
        },
        initializationOptions: { statusNotifications: true },
      }),
      'initialize',
    );
    void conn.sendNotification('initialized', {});
    const initializedMs = performance.now() - t0;
    const caps = init.capabilities ?? {};
    const sync =
      typeof caps.textDocumentSync === 'number' ? caps.textDocumentSync : (caps.textDocumentSync?.change ?? 1);
    const pull = () => Boolean(caps.diagnosticProvider) || pullRegistered;

    const diagnosticsFor = async (version) => {
      if (pull()) {
        const r = await withTimeout(
          conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } }),
          `diagnostics of version ${version}`,
        );
        return { version, count: r.items?.length ?? 0, at: performance.now() };
      }
      return withTimeout(
        new Promise((resolve) => waiters.push({ version, resolve })),
        `diagnostics of version ${version}`,
      );
    };

    let text = fs.readFileSync(file, 'utf8');
    const ext = path.extname(file).toLowerCase();
    let version = 1;
    const tOpen = performance.now();
    const firstWait = pull() ? undefined : diagnosticsFor(version);
    void conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: LANGUAGE_IDS[ext] ?? 'plaintext', version, text },
    });
    const first = await (firstWait ?? diagnosticsFor(version));
    const firstDiagnosticsMs = first.at - tOpen;
    const firstCount = first.count;

    const plan = planEdits(text, warmup + edits, file);
    const lines = text.split('\n');
    const latencies = [];
    for (let k = 0; k < plan.length; k++) {
      const point = plan[k];
      if (k === warmup) analysisMs.length = 0; // from here on, only the measured edits
      const insert = point.text(k + 1);
      // Later points below this one move down a line.
      for (let j = k + 1; j < plan.length; j++) if (plan[j].line >= point.line) plan[j].line++;
      lines.splice(point.line, 0, insert.slice(0, -1));
      text = lines.join('\n');
      version++;
      const change =
        sync === 2
          ? {
              range: { start: { line: point.line, character: 0 }, end: { line: point.line, character: 0 } },
              text: insert,
            }
          : { text };
      const wait = pull() ? undefined : diagnosticsFor(version);
      const tEdit = performance.now();
      void conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [change],
      });
      const got = await (wait ?? diagnosticsFor(version));
      if (k >= warmup) latencies.push(got.at - tEdit);
    }
    const rssKb = readStatusKb(child.pid, 'VmRSS');
    const hwmKb = readStatusKb(child.pid, 'VmHWM');

    await withTimeout(conn.sendRequest('shutdown'), 'shutdown').catch(() => undefined);
    void conn.sendNotification('exit');
    const exit = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 5000).unref())]);
    if (!exit) child.kill('SIGKILL');
    return {
      ok: true,
      mode: pull() ? 'pull' : 'push',
      sync: sync === 2 ? 'incremental' : 'full',
      file,
      lines: text.split('\n').length,
      initializedMs,
      firstDiagnosticsMs,
      firstDiagnosticsFromSpawnMs: first.at - t0,
      firstDiagnosticsCount: firstCount,
      edits: latencies.length,
      warmup,
      latenciesMs: latencies,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      medianMs: median(latencies),
      maxMs: Math.max(...latencies),
      analysisP50Ms: percentile(analysisMs, 50),
      analysisP95Ms: percentile(analysisMs, 95),
      serverRssBytes: rssKb !== undefined ? rssKb * 1024 : undefined,
      serverPeakRssBytes: hwmKb !== undefined ? hwmKb * 1024 : undefined,
    };
  } catch (e) {
    child.kill('SIGKILL');
    return { ok: false, error: String(e?.message ?? e), stderr: stderr.join('').slice(-2000), log: log.slice(-20) };
  } finally {
    conn.dispose();
  }
}
