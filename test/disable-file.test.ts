// The editor's "Disable <rule> for this file" (engine/directive-edit.ts disableFileEdit): where the
// `async-lint-disable-file` directive goes (after a shebang, Python's encoding declaration and a
// leading license comment), and merging into one the file already starts with. Each output is
// linted again: the rule must be silenced and nothing may stop parsing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyTextEdits, disableFileEdit } from '../server/src/engine/directive-edit';
import { LineIndex } from '../server/src/engine/text';
import { onlyRule, testLinter } from './helpers';

const UNUSED_TS =
  'export async function load(): Promise<number> {\n  return 1;\n}\nexport function callLoad() {\n  void load();\n}\n';
const UNUSED_PY = 'async def load():\n    return 1\n\n\nasync def main():\n    return await load()\n';

describe('"Disable <rule> for this file": the directive', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-disable-file-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The text with the directive for `ruleIds`, or undefined when there is nothing to write. */
  const disable = (name: string, text: string, ruleIds: string[]) => {
    const edit = disableFileEdit(new LineIndex(text), ruleIds, { leader: name.endsWith('.py') ? '#' : '//' });
    return edit && applyTextEdits(text, [edit]);
  };

  /** Findings of `ruleId` (0-based lines) and syntax errors of a text. */
  const lint = async (name: string, text: string, ruleId: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    const result = (await testLinter()).lint(file, text, onlyRule(ruleId, file));
    return { lines: result.findings.map((f) => f.range.start.line), syntaxErrors: result.syntaxErrors.length };
  };

  /** Writes the directive and checks that it silences the rule, and the file parses as well as before. */
  const silences = async (name: string, text: string, ruleId: string, expected: string) => {
    const before = await lint(name, text, ruleId);
    assert.ok(before.lines.length > 0, `${ruleId} is reported before`);
    const out = disable(name, text, [ruleId]);
    assert.equal(out, expected);
    const after = await lint(name, out!, ruleId);
    assert.deepEqual(after.lines, [], `the directive silences ${ruleId}`);
    assert.equal(after.syntaxErrors, before.syntaxErrors);
  };

  it('goes on the first line of a file that starts with code', async () => {
    await silences('plain.ts', UNUSED_TS, 'unused-async', `// async-lint-disable-file unused-async\n${UNUSED_TS}`);
    await silences('plain.py', UNUSED_PY, 'unused-async', `# async-lint-disable-file unused-async\n${UNUSED_PY}`);
  });

  it('goes after a shebang', async () => {
    await silences(
      'cli.ts',
      `#!/usr/bin/env node\n${UNUSED_TS}`,
      'unused-async',
      `#!/usr/bin/env node\n// async-lint-disable-file unused-async\n${UNUSED_TS}`,
    );
  });

  it('Python: goes after the encoding declaration, on line 1 or after a shebang on line 2', async () => {
    await silences(
      'enc.py',
      `# -*- coding: utf-8 -*-\n${UNUSED_PY}`,
      'unused-async',
      `# -*- coding: utf-8 -*-\n# async-lint-disable-file unused-async\n${UNUSED_PY}`,
    );
    await silences(
      'script.py',
      `#!/usr/bin/env python3\n# vim: set fileencoding=latin-1 :\n${UNUSED_PY}`,
      'unused-async',
      `#!/usr/bin/env python3\n# vim: set fileencoding=latin-1 :\n# async-lint-disable-file unused-async\n${UNUSED_PY}`,
    );
    // An encoding declaration on line 2 counts only after a comment on line 1 (PEP 263).
    const code = `import asyncio\n# coding: utf-8\n${UNUSED_PY}`;
    assert.equal(disable('late.py', code, ['unused-async']), `# async-lint-disable-file unused-async\n${code}`);
  });

  it('goes after a leading license comment, and after the blank line that ends it', async () => {
    const header = '// Copyright 2026 ACME Corp.\n// SPDX-License-Identifier: MIT\n\n';
    await silences(
      'lic.ts',
      header + UNUSED_TS,
      'unused-async',
      `${header}// async-lint-disable-file unused-async\n${UNUSED_TS}`,
    );
    const block = '/*\n * Copyright (c) 2026 ACME Corp.\n * Licensed under the MIT License.\n */\n';
    await silences(
      'block.ts',
      block + UNUSED_TS,
      'unused-async',
      `${block}// async-lint-disable-file unused-async\n${UNUSED_TS}`,
    );
    const py =
      '#!/usr/bin/env python3\n# Copyright 2026 ACME Corp.\n# Licensed under the Apache License, Version 2.0\n\n"""Jobs."""\n';
    await silences(
      'lic.py',
      py + UNUSED_PY,
      'unused-async',
      `${py.replace('\n\n', '\n\n# async-lint-disable-file unused-async\n')}${UNUSED_PY}`,
    );
  });

  it('goes above a leading comment that is not a license (a doc comment stays on its function)', async () => {
    const text = `/** Loads the number. */\n${UNUSED_TS}`;
    await silences('doc.ts', text, 'unused-async', `// async-lint-disable-file unused-async\n${text}`);
    const py = `"""Jobs."""\n${UNUSED_PY}`;
    await silences('doc.py', py, 'unused-async', `# async-lint-disable-file unused-async\n${py}`);
  });

  it('adds the rule to a file directive the file starts with, keeping its reason', async () => {
    const ts = `// Copyright 2026 ACME Corp.\n// async-lint-disable-file blocking-call -- a build script\n${UNUSED_TS}`;
    await silences('merge.ts', ts, 'unused-async', ts.replace('blocking-call --', 'blocking-call, unused-async --'));
    const block = `/* async-lint-disable-file blocking-call */\n${UNUSED_TS}`;
    await silences(
      'merge-block.ts',
      block,
      'unused-async',
      block.replace('blocking-call */', 'blocking-call, unused-async */'),
    );
    const py = `# async-lint-disable-file dangling-task\n\n${UNUSED_PY}`;
    await silences('merge.py', py, 'unused-async', py.replace('dangling-task', 'dangling-task, unused-async'));
  });

  it('writes nothing when the directive there names the rule already; a directive below code gets a new one above', async () => {
    const named = `// async-lint-disable-file unused-async\n${UNUSED_TS}`;
    assert.equal(disable('named.ts', named, ['unused-async']), undefined);
    // After code, a file directive is not part of the header: a new one goes at the top.
    const below = `${UNUSED_TS}// async-lint-disable-file blocking-call\n`;
    await silences('below.ts', below, 'unused-async', `// async-lint-disable-file unused-async\n${below}`);
  });

  it('a block comment with code after it on its last line is code: the directive goes above it', () => {
    const text = `/* Copyright 2026 */ export const x = 1;\n${UNUSED_TS}`;
    assert.equal(disable('inline.ts', text, ['unused-async']), `// async-lint-disable-file unused-async\n${text}`);
  });

  it('keeps CRLF line endings; a file that is all header gets the directive at its end', () => {
    const crlf = UNUSED_TS.replace(/\n/g, '\r\n');
    assert.equal(
      disable('crlf.ts', `#!/usr/bin/env node\r\n${crlf}`, ['unused-async']),
      `#!/usr/bin/env node\r\n// async-lint-disable-file unused-async\r\n${crlf}`,
    );
    assert.equal(
      disable('only.ts', '#!/usr/bin/env node', ['unused-async']),
      '#!/usr/bin/env node\n// async-lint-disable-file unused-async\n',
    );
    assert.equal(disable('empty.py', '', ['unused-async']), '# async-lint-disable-file unused-async\n');
  });
});
