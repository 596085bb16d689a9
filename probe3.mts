import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const errors: string[] = [];
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.type() + ' ' + m.text()); });
page.on('pageerror', (e) => errors.push(e.message));
for (const v of ['hierarchy?platform=lv-bus5-platform', 'feeder', 'prices', 'trades', 'battery?platform=lv-bus5-platform', 'value', 'comparison']) {
  const t = performance.now();
  await page.goto(`http://127.0.0.1:8391/dashboard/#/${v}`);
  await page.waitForSelector('main[data-ready="true"]');
  await page.screenshot({ path: `/tmp/s16-${v.split('?')[0]}.png`, fullPage: false });
  console.log(v, Math.round(performance.now() - t), 'ms', (await page.locator('main').innerText()).slice(0, 200).replace(/\n/g, ' | '));
  await page.evaluate(() => (location.hash = '#/none'));
}
console.log(errors);
await browser.close();
