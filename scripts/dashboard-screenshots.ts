// Screenshots of the dashboard for the README: `npx tsx scripts/dashboard-screenshots.ts OUT_DIR [DOCS_DIR]`
// serves OUT_DIR (a `gridnest simulate` output) like `gridnest view` and writes feeder and value views as PNG.
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildViewApp } from '../src/dashboard/view-server.ts';

const [dir, docs = 'docs'] = process.argv.slice(2);
if (!dir) throw new Error('usage: tsx scripts/dashboard-screenshots.ts OUT_DIR [DOCS_DIR]');
const app = await buildViewApp(dir);
const url = await app.listen({ port: 0, host: '127.0.0.1' });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
for (const [hash, file] of [
  ['feeder?platform=lv-bus5-platform&t=52', 'dashboard-feeder.png'],
  ['value', 'dashboard-value.png'],
]) {
  await page.goto(`${url}/dashboard/#/${hash}`);
  await page.waitForSelector('main[data-ready="true"]');
  await page.screenshot({ path: join(docs, file) });
  console.log(`wrote ${join(docs, file)}`);
}
await browser.close();
await app.close();
