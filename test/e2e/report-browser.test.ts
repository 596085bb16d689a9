// E2E: report.html opens in headless Debian Chromium with every chart rendered and no console errors.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { buildDefaultSystemStudy } from '../../src/studies/system/index.ts';
import { BETTER_FILL, WORSE_FILL } from '../../src/value/difference-charts.ts';
import type { ValueRow } from '../../src/value/index.ts';
import { hasChromium, launchChromium, warnIfNoChromium } from './chromium.ts';

warnIfNoChromium('report-browser');

describe.skipIf(!hasChromium)('report.html in a real browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridnest-report-'));
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  let table: ValueRow[];

  beforeAll(async () => {
    const studyPath = join(dir, 'study.json');
    writeFileSync(studyPath, JSON.stringify(buildDefaultSystemStudy({ households: 4 })));
    const io = { stdout: () => {}, stderr: () => {}, isTty: false };
    expect(await runCli(['simulate', studyPath, '--out', join(dir, 'out')], io)).toBe(0);
    table = JSON.parse(readFileSync(join(dir, 'out', 'value.json'), 'utf8')).table;
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(dir, 'out', 'report.html')).href);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders all charts and the value table without console errors', async () => {
    for (const id of ['prices', 'flows', 'loading', 'voltages', 'soc', 'trades', 'comparison']) {
      const box = await page.locator(`#chart-${id} svg`).first().boundingBox();
      expect(box?.width ?? 0, id).toBeGreaterThan(100);
      expect(await page.locator(`#chart-${id} svg path`).count(), id).toBeGreaterThan(3);
    }
    const headers = await page.locator('#value-table th').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['baseline', 'none', 'dso-pricing']));
    expect(errors).toEqual([]);
  });

  it('draws one bar per metric and run that differs from the baseline, coloured by better/worse', async () => {
    const metrics = table.filter((r) => r.category !== 'check');
    const figures = page.locator('#chart-comparison figure.difference');
    expect(await figures.count()).toBe(metrics.length);
    let bars = 0;
    for (let i = 0; i < metrics.length; i++) {
      const row = metrics[i];
      const figure = figures.nth(i);
      expect(await figure.getAttribute('data-metric')).toBe(row.metric);
      const base = row.values.baseline;
      const changed = ['none', 'dso-pricing'].filter((run) => {
        const v = row.values[run];
        return v !== null && base !== null && Number.isFinite(v) && Number.isFinite(base) && v !== base;
      });
      const better = changed.filter((run) => row.values[run] > base === row.isHigherBetter).length;
      const betterBars = figure.locator(`svg path[fill="${BETTER_FILL}"]`);
      const worseBars = figure.locator(`svg path[fill="${WORSE_FILL}"]`);
      expect(await betterBars.count(), row.metric).toBe(better);
      expect(await worseBars.count(), row.metric).toBe(changed.length - better);
      for (const bar of [...(await betterBars.all()), ...(await worseBars.all())])
        expect((await bar.boundingBox())?.width ?? 0, row.metric).toBeGreaterThanOrEqual(1);
      bars += changed.length;
    }
    // The small study trades P2P, so at least the zero-baseline P2P metrics must have bars.
    expect(bars).toBeGreaterThanOrEqual(4);
  });

  it('defines the baseline and every metric, prints counts as integers and never pages a legend', async () => {
    const terms = await page.locator('#glossary th[scope=row]').allTextContents();
    expect(terms).toEqual(
      expect.arrayContaining(['baseline', 'none', 'dso-pricing', ...table.map((r) => r.metric)]),
    );
    const countRow = page.locator('#value-table tr', {
      hasText: 'TSO requests breaking distribution limits',
    });
    for (const cell of await countRow.locator('td.num').allTextContents()) expect(cell).toMatch(/^\d+$/);
    // A paged ECharts legend shows a page counter such as "1/2".
    expect(await page.locator('svg text', { hasText: /^\d+\/\d+$/ }).count()).toBe(0);
  });
});
