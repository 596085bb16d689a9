// E2E: report.html opens in headless Debian Chromium with every chart rendered and no console errors.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { buildDefaultSystemStudy } from '../../src/hierarchy/default-system-scenario.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`report-browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(!hasChromium)('report.html in a real browser', () => {
  it('renders all charts and the value table without console errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridnest-report-'));
    const studyPath = join(dir, 'study.json');
    writeFileSync(studyPath, JSON.stringify(buildDefaultSystemStudy({ households: 4 })));
    const io = { stdout: () => {}, stderr: () => {}, isTty: false };
    expect(await runCli(['simulate', studyPath, '--out', join(dir, 'out')], io)).toBe(0);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(join(dir, 'out', 'report.html')).href);
      for (const id of ['prices', 'flows', 'voltages', 'soc', 'trades', 'comparison']) {
        const box = await page.locator(`#chart-${id} svg`).boundingBox();
        expect(box?.width ?? 0, id).toBeGreaterThan(100);
        expect(await page.locator(`#chart-${id} svg path`).count(), id).toBeGreaterThan(3);
      }
      const headers = await page.locator('#value-table th').allTextContents();
      expect(headers).toEqual(expect.arrayContaining(['baseline', 'none', 'dso-pricing']));
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
