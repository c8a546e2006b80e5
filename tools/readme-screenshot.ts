// `npx tsx tools/readme-screenshot.ts [out.png]`: the README's dashboard screenshot, taken from a fresh demo
// (every installed plugin, a throwaway data directory) as the first-level agent Erika sees it at 1280 x 800 in
// German. Run it after a change to the desk's look so the README shows today's UI (issue 18 point 8).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/env.js';
import { installedPlugins } from '../config/plugins.js';
import { createRegistry } from '../core/plugin-host/registry.js';
import { startServer } from '../core/server.js';
import { DESKTOP, launchBrowser, newContext, signInThroughForm } from '../test/harness/browser.js';

const out = process.argv[2] ?? 'docs/screenshot-dashboard.png';
const AGENT = 'agent1@demo.tresen.local';

const dataDir = mkdtempSync(join(tmpdir(), 'tresen-readme-'));
let banner = '';
const config = { ...loadConfig({ DATA_DIR: dataDir, PORT: '1', HOST: '127.0.0.1', LOG_LEVEL: 'error', TRESEN_DEMO: '1' }), port: 0 };
const server = await startServer(config, createRegistry(installedPlugins), { announce: (text) => { banner += text; } });
const browser = await launchBrowser();
try {
  // The agent's one-time password, as the first-start banner prints it.
  const found = new RegExp(`agent\\s+${AGENT.replaceAll('.', '\\.')}\\s+/\\s+(\\S+)`).exec(banner);
  if (!found) throw new Error(`the first-start banner names no ${AGENT}:\n${banner}`);
  const page = await (await newContext(browser, { viewport: DESKTOP, locale: 'de-DE' })).newPage();
  await signInThroughForm(page, `${server.url}/t/demo`, AGENT, found[1]!);
  // The dashboard's panels load by htmx after the page: wait until none is pending.
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
