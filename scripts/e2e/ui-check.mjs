// What a person sees, in code-server's workbench in headless Chromium: open a file, a squiggle
// appears, its hover names the rule, Ctrl+. shows the Quick Fix menu, choosing the fix removes the
// squiggle. Screenshots go to OUT_DIR (the README's picture is one of them).
// usage: PORT=8765 OUT_DIR=dir FILE=src/orders.ts MESSAGE='...' FIX_TITLE="Add 'await'" node ui-check.mjs <folder>
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { PORT = 8765, OUT_DIR = os.tmpdir(), FILE, MESSAGE, FIX_TITLE } = process.env;
const folder = path.resolve(process.argv[2]);
fs.mkdirSync(OUT_DIR, { recursive: true });
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-chromium-'));
const ctx = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1200, height: 640 },
  deviceScaleFactor: 1,
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
const shot = (name) => page.screenshot({ path: path.join(OUT_DIR, name) });

/** Quick Open (Ctrl+P) a file; a key press while another widget closes can be lost, so retry. */
async function openFile(name) {
  const input = page.locator('.quick-input-widget input');
  for (let i = 0; i < 6 && !(await input.isVisible()); i++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await input.waitFor({ timeout: 3000 }).catch(() => {});
  }
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 30000 });
  await page.keyboard.press('Enter');
}
try {
  await page.goto(`http://127.0.0.1:${PORT}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.explorer-folders-view').waitFor({ timeout: 120000 });
  await openFile(FILE);
  const squiggle = page.locator('.squiggly-warning').first();
  await squiggle.waitFor({ timeout: 120000 });
  // The Problems panel lists the finding with its rule id.
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').getByText(MESSAGE).first().waitFor({ timeout: 30000 });
  await shot('problems.png');
  await page.keyboard.press('Control+Shift+M'); // hide the panel again for the next pictures
  // Hover: the message, and the rule id linking to its page.
  for (let i = 0; i < 5; i++) {
    await squiggle.hover({ force: true });
    if (
      await page
        .locator('.monaco-hover')
        .getByText(MESSAGE)
        .first()
        .isVisible()
        .catch(() => false)
    )
      break;
    await page.waitForTimeout(1000);
  }
  await page.locator('.monaco-hover').getByText(MESSAGE).first().waitFor({ timeout: 20000 });
  await shot('hover.png');
  await page.mouse.move(5, 600);
  // Ctrl+. on the squiggle: pressed right after focusing the editor it is sometimes lost, so retry.
  await squiggle.click({ force: true });
  const item = page.locator('.action-widget .monaco-list-row').filter({ hasText: FIX_TITLE });
  for (let i = 0; i < 8 && !(await item.isVisible()); i++) {
    await page.waitForTimeout(700);
    await page.keyboard.press('Control+.');
    await item.waitFor({ timeout: 4000 }).catch(() => {});
  }
  await item.waitFor({ timeout: 5000 });
  await shot('quickfix-menu.png');
  await item.click();
  // The fix is applied when the squiggle it answered goes away.
  await page.waitForFunction(() => !document.querySelector('.squiggly-warning'), null, { timeout: 60000 });
  await shot('fixed.png');

  // The injection grammar: in a file with a directive comment, the directive and its rule id are
  // coloured unlike the rest of the comment.
  if (process.env.DIRECTIVE_FILE) {
    // Its row in the explorer (src/ is expanded by now), else Quick Open.
    const row = page
      .locator('.explorer-folders-view .monaco-list-row')
      .filter({ hasText: path.basename(process.env.DIRECTIVE_FILE) })
      .first();
    if (await row.isVisible()) await row.click();
    else await openFile(process.env.DIRECTIVE_FILE);
    const line = page.locator('.view-line').filter({ hasText: 'async-lint-disable-next-line' }).first();
    await line.waitFor({ timeout: 30000 });
    const colour = (text) =>
      line.evaluate((el, t) => {
        const span = [...el.querySelectorAll('span span')].find((s) => s.textContent.includes(t));
        return span ? getComputedStyle(span).color : undefined;
      }, text);
    // Tokenization may lag a moment behind the first paint.
    let directive, rule, reason;
    for (let i = 0; i < 20; i++) {
      [directive, rule, reason] = [
        await colour('async-lint-disable-next-line'),
        await colour('unawaited'),
        await colour('fire-and-forget'),
      ];
      if (directive && reason && directive !== reason) break;
      await page.waitForTimeout(500);
    }
    await shot('directive.png');
    if (!directive || !rule || !reason) throw new Error(`directive tokens not found: ${directive} ${rule} ${reason}`);
    if (directive === reason)
      throw new Error(`the directive is coloured like the comment (${directive}): the grammar is not injected`);
    if (rule === reason) throw new Error(`the rule id is coloured like the comment (${rule})`);
    console.log(`directive highlighted: ${directive}, rule id ${rule}, comment ${reason}`);
  }
  console.log('ui check passed');
} catch (e) {
  await shot('failure.png').catch(() => {});
  console.log('ui check failed:', e.message);
  process.exitCode = 1;
} finally {
  await ctx.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
