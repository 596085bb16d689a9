// E2E: the dashboard in headless Debian Chromium. `gridnest view` on a small simulate output: every view renders
// without console errors, the time slider (keyboard, labelled) redraws the feeder's voltages; `gridnest serve`:
// login by API key and an order submitted through the API appears on the page within 1 s (WebSocket).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { buildViewApp } from '../../src/dashboard/view-server.ts';
import { computeWebSourceHash } from '../../src/dashboard/web-source-hash.ts';
import { buildDefaultSystemStudy, DEFAULT_SITES } from '../../src/studies/system/index.ts';
import type { FeederSnapshot, GridSnapshot } from '../../src/value/index.ts';
import { hasChromium, launchChromium, warnIfNoChromium } from './chromium.ts';
import { call, isoOf, nextIntervalStart, type ServerHandle, spawnServer } from './service-harness.ts';

warnIfNoChromium('dashboard-browser');
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts', 'dashboard');

describe('the committed dashboard build', () => {
  it('was built from the current web/ sources (else run npm run build:web)', () => {
    const recorded = readFileSync(join(ROOT, 'dist', 'web', 'source-hash.txt'), 'utf8').trim();
    expect(recorded).toBe(computeWebSourceHash(ROOT));
    expect(readFileSync(join(ROOT, 'dist', 'web', 'index.html'), 'utf8')).not.toMatch(/https?:\/\//);
  });
});

describe('gridnest view: bad input', () => {
  const capture = () => {
    let stderr = '';
    return {
      io: { stdout: () => {}, stderr: (t: string) => void (stderr += t), isTty: false },
      err: () => stderr,
    };
  };

  it('exits 2 naming the folder or file when it is not a simulate output', async () => {
    const missing = capture();
    expect(await runCli(['view', join(tmpdir(), 'gridnest-no-such-folder')], missing.io)).toBe(2);
    expect(missing.err()).toContain('no such folder');
    const dir = mkdtempSync(join(tmpdir(), 'gridnest-view-bad-'));
    const empty = capture();
    expect(await runCli(['view', dir], empty.io)).toBe(2);
    expect(empty.err()).toContain(`file not found: ${join(dir, 'value.json')}`);
    writeFileSync(
      join(dir, 'value.json'),
      JSON.stringify({ study: 's', days: 0, charted: 'none', table: [] }),
    );
    const bad = capture();
    expect(await runCli(['view', dir], bad.io)).toBe(2);
    expect(bad.err()).toContain('value.json.days');
    const port = capture();
    expect(await runCli(['view', dir, '--port', '70000'], port.io)).toBe(2);
    expect(port.err()).toContain('--port');
  });
});

describe('simulate output and the dashboard in a real browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridnest-dashboard-'));
  const out = join(dir, 'out');
  let grid: GridSnapshot;
  let platformCsv: string[][];
  let browser: Browser | undefined;
  let page: Page;
  let app: FastifyInstance | undefined;
  let baseUrl = '';
  const errors: string[] = [];

  beforeAll(async () => {
    const studyPath = join(dir, 'study.json');
    // Two of the five default sites (the PV + battery ones), four households each, 15-minute prosumer steps.
    writeFileSync(
      studyPath,
      JSON.stringify(
        buildDefaultSystemStudy({ households: 4, sites: DEFAULT_SITES.slice(2, 4), prosumerStepMin: 15 }),
      ),
    );
    const io = { stdout: () => {}, stderr: () => {}, isTty: false };
    expect(await runCli(['simulate', studyPath, '--scenarios', '2', '--out', out], io)).toBe(0);
    grid = JSON.parse(readFileSync(join(out, 'grid.json'), 'utf8'));
    platformCsv = readFileSync(join(out, 'timeseries', 'platform.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    if (!hasChromium) return;
    app = await buildViewApp(out);
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(e.message));
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('grid.json holds every bus voltage of each feeder interval, consistent with platform.csv', () => {
    const header = platformCsv[0];
    const col = (name: string) => header.indexOf(name);
    for (const feeder of grid.feeders as FeederSnapshot[]) {
      const rows = platformCsv.slice(1).filter((r) => r[col('platform')] === feeder.platform);
      expect(feeder.timeUtc).toEqual(rows.map((r) => r[col('timeUtc')]));
      expect(feeder.branches).toHaveLength(feeder.busIds.length - 1); // a radial feeder: n − 1 branches
      const source = feeder.busIds.indexOf('SourceBus');
      feeder.vmPu.forEach((vm, k) => {
        expect(vm).toHaveLength(feeder.busIds.length);
        // The source bus is held at the IEEE European LV package's 1.05 p.u. (Source.csv).
        expect(vm[source]).toBeCloseTo(1.05, 9);
        // Extremes over all buses are the feeder's vmMinPu / vmMaxPu (rounded to 5 decimals in grid.json).
        expect(Math.min(...vm)).toBeCloseTo(Number(rows[k][col('vmMinPu')]), 4);
        expect(Math.max(...vm)).toBeCloseTo(Number(rows[k][col('vmMaxPu')]), 4);
        // |S| ≥ |P| at the transformer, whose from end is the feeder head.
        const transformer = feeder.branches.findIndex((b) => b.from === source || b.to === source);
        expect(feeder.flowFromKva[k][transformer]).toBeGreaterThanOrEqual(
          Math.abs(Number(rows[k][col('headImportKw')])) - 0.01,
        );
      });
    }
  });

  const open = async (hash: string) => {
    await page.goto(`${baseUrl}/dashboard/#/${hash}`);
    await page.waitForSelector('main[data-ready="true"]');
  };

  it.skipIf(!hasChromium)('renders every view with its charts and graphs and no console errors', async () => {
    const views: [string, string[]][] = [
      ['hierarchy?platform=lv-bus5-platform', ['#hierarchy-tree', '#members-table']],
      ['feeder', ['#feeder-graph canvas']],
      ['prices', ['#chart-platform-prices svg path', '#chart-tso-prices svg path']],
      ['trades', ['#trades-graph canvas']],
      [
        'battery?platform=lv-bus5-platform',
        ['#chart-battery-total svg path', '#chart-battery-members svg path'],
      ],
      ['value', ['#value-table', '#chart-value svg path']],
      ['comparison', ['#comparison-wins', '.chart.small svg path']],
    ];
    for (const [hash, selectors] of views) {
      await open(hash);
      expect(await page.locator('main [role="alert"]').count(), hash).toBe(0);
      for (const selector of selectors)
        expect(await page.locator(selector).count(), `${hash} ${selector}`).toBeGreaterThan(0);
      await page.screenshot({ path: join(ARTIFACTS, `${hash.split('?')[0]}.png`) });
    }
    expect(errors).toEqual([]);
  });

  it.skipIf(!hasChromium)('the labelled time slider moves by keyboard and redraws the voltages', async () => {
    // Drill down: hierarchy → platform → its feeder.
    await open('hierarchy');
    await page.getByRole('link', { name: 'lv-bus5-platform', exact: true }).click();
    await page.waitForSelector('#members-table');
    await page.locator('#platform-links').getByRole('link', { name: 'feeder' }).click();
    await page.waitForSelector('main[data-view="feeder"][data-ready="true"]');
    expect(await page.getByLabel('Feeder').inputValue()).toBe('lv-bus5-platform');
    const feeder = grid.feeders.find((f) => f.platform === 'lv-bus5-platform')!;
    const slider = page.getByLabel('Time of day (UTC)');
    expect(await slider.getAttribute('type')).toBe('range');
    // Every control in the view has a label.
    expect(
      await page.evaluate(() =>
        [...document.querySelectorAll('main input, main select')].every(
          (e) => (e as HTMLInputElement).labels?.length,
        ),
      ),
    ).toBe(true);
    const colours = () =>
      page.evaluate(() => {
        type Node = { style(name: string): string };
        type Cy = { nodes(): { map(f: (n: Node) => string): string[] } };
        const cy = (document.querySelector('#feeder-graph') as unknown as { _cyreg: { cy: Cy } })._cyreg.cy;
        return cy.nodes().map((n) => n.style('background-color'));
      });
    await slider.focus();
    await page.keyboard.press('Home');
    expect(await slider.inputValue()).toBe('0');
    const before = await colours();
    // End jumps to the last interval (evening load, not the night's): colours and stated extremes change; one
    // ArrowLeft steps back one interval.
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    const k = feeder.timeUtc.length - 2;
    expect(await slider.inputValue()).toBe(String(k));
    expect(await page.locator('#time-output').textContent()).toBe(`${feeder.timeUtc[k].slice(11, 16)} UTC`);
    const after = await colours();
    expect(after).toHaveLength(feeder.busIds.length);
    expect(after).not.toEqual(before);
    const lowest = Math.min(...feeder.vmPu[k]);
    expect(await page.locator('#feeder-summary').textContent()).toContain(
      `lowest voltage ${lowest.toFixed(4)} p.u.`,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'feeder-evening.png') });
    expect(errors).toEqual([]);
  });
});

describe.skipIf(!hasChromium)('gridnest serve: the live dashboard', () => {
  let server: ServerHandle;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  let platformId = '';
  let aliceKey = '';
  const memberIds: Record<string, string> = {};
  let bobKey = '';
  let operatorKey = '';
  let dsoKey = '';
  const t = nextIntervalStart(2 * 3_600_000);

  beforeAll(async () => {
    server = await spawnServer({ dataDir: mkdtempSync(join(tmpdir(), 'gridnest-dashboard-live-')) });
    const created = await call(server.url, 'POST', '/v1/platforms', {
      key: server.adminKey,
      body: {
        name: 'live test',
        marketMode: 'continuous',
        intervalMinutes: 15,
        operator: { name: 'op', locationId: 'f1' },
      },
    });
    platformId = created.body.platform.id;
    operatorKey = created.body.credential.apiKey;
    const keys: Record<string, string> = {};
    for (const name of ['alice', 'bob', 'dso']) {
      const res = await call(server.url, 'POST', `/v1/platforms/${platformId}/members`, {
        key: operatorKey,
        body: {
          name,
          role: name === 'dso' ? 'dso' : 'prosumer',
          locationId: 'f1',
          feederId: 'feeder-a',
          der: { pvKwp: 5 },
        },
      });
      expect(res.status).toBe(201);
      keys[name] = res.body.credential.apiKey;
      memberIds[name] = res.body.member.id;
    }
    aliceKey = keys.alice;
    bobKey = keys.bob;
    dsoKey = keys.dso;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const login = async (key: string) => {
    await page.goto(`${server.url}/dashboard/`);
    await page.waitForSelector('main[data-ready="true"]');
    const logout = page.getByRole('button', { name: 'Log out' });
    if ((await logout.count()) > 0) await logout.click();
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForSelector('main[data-view="live"][data-ready="true"]');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('live'));
  };

  it('rejects a wrong key with a message', async () => {
    await page.goto(`${server.url}/dashboard/`);
    await page.waitForSelector('main[data-ready="true"]');
    await page.getByLabel('API key').fill('gn_wrong');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForFunction(() => document.getElementById('login-error')?.textContent?.includes('401'));
    // The browser logs the refused request itself; that one console error is expected.
    expect(errors).toEqual([expect.stringContaining('401')]);
    errors.length = 0;
  });

  it('shows a prosumer its new order and the operator the book and trade, within 1 s, without reloading', async () => {
    await login(aliceKey);
    expect(await page.locator('#orders-table tbody tr').count()).toBe(0);
    const submitted = Date.now();
    const order = await call(server.url, 'POST', `/v1/platforms/${platformId}/orders`, {
      key: aliceKey,
      body: {
        clientOrderId: 'a1',
        side: 'sell',
        intervalStart: isoOf(t),
        energyKwh: 2,
        limitPriceEurPerKwh: 0.2,
      },
    });
    expect(order.status).toBe(201);
    await page.locator('#orders-table tbody tr', { hasText: 'a1' }).waitFor({ timeout: 1000 });
    expect(Date.now() - submitted).toBeLessThan(1000);
    await page.screenshot({ path: join(ARTIFACTS, 'live-prosumer.png') });

    await login(operatorKey);
    expect(await page.locator('#book-table tbody tr', { hasText: 'ask' }).count()).toBe(1);
    const bought = Date.now();
    const bid = await call(server.url, 'POST', `/v1/platforms/${platformId}/orders`, {
      key: bobKey,
      body: {
        clientOrderId: 'b1',
        side: 'buy',
        intervalStart: isoOf(t),
        energyKwh: 0.5,
        limitPriceEurPerKwh: 0.25,
      },
    });
    expect(bid.body.trades).toHaveLength(1);
    // The trade is 0.5 kWh at the resting ask's price, 0.2 EUR/kWh.
    await page.locator('#trades-table tbody tr', { hasText: '0.2000' }).waitFor({ timeout: 1000 });
    expect(Date.now() - bought).toBeLessThan(1000);
    expect(await page.locator('#trades-table tbody tr').first().textContent()).toContain('0.500');
    await page.screenshot({ path: join(ARTIFACTS, 'live-operator.png') });

    // The DSO sees the feeder's members and its P2P energy: alice sold and bob bought the 0.5 kWh.
    await login(dsoKey);
    const row = page.locator('#feeders-table tbody tr', { hasText: 'feeder-a' });
    expect(await row.locator('td').allTextContents()).toEqual(['feeder-a', '2', '0.500', '0.500']);
    // A schedule the DSO publishes now (covering the browser's current interval) is drawn without a reload.
    const stepMs = 15 * 60_000;
    const start = Math.floor(Date.now() / stepMs) * stepMs - stepMs;
    const published = await call(server.url, 'POST', `/v1/platforms/${platformId}/price-schedules`, {
      key: dsoKey,
      body: {
        startUtc: isoOf(start),
        intervalMinutes: 15,
        intervalCount: 8,
        locations: [
          {
            locationId: 'f1',
            importPriceEurPerKwh: Array(8).fill(0.3),
            exportPriceEurPerKwh: Array(8).fill(0.05),
          },
        ],
      },
    });
    expect(published.status).toBe(201);
    await page.waitForFunction(
      () => document.querySelectorAll('#chart-live-prices svg path').length > 3,
      null,
      {
        timeout: 1000,
      },
    );
    await page.screenshot({ path: join(ARTIFACTS, 'live-dso.png') });

    // The DSO writes alice's meter reading; alice sees it in her meter data.
    const meter = await call(server.url, 'PUT', `/v1/platforms/${platformId}/meter-readings`, {
      key: dsoKey,
      body: {
        readings: [{ memberId: memberIds.alice, intervalStart: isoOf(t), importKwh: 0.25, exportKwh: 1.75 }],
      },
    });
    expect(meter.status).toBe(200);
    await login(aliceKey);
    const reading = page.locator('#meter-table tbody tr');
    expect(await reading.count()).toBe(1);
    expect((await reading.locator('td').allTextContents()).slice(1, 3)).toEqual(['0.250', '1.750']);
    await page.screenshot({ path: join(ARTIFACTS, 'live-prosumer-meter.png') });
    // No console error in the whole live run (before any schedule existed the DSO view got an empty list).
    expect(errors).toEqual([]);
  });
});
