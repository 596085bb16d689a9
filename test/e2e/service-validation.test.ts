// End-to-end: every 400 of the service names the field and the rule (and the value received), like the CLI does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type ServerHandle, spawnServer } from './service-harness.ts';

describe('service validation errors', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridnest-validation-'));
  let server: ServerHandle;

  beforeAll(async () => {
    server = await spawnServer({ dataDir });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const platform = (overrides: Record<string, unknown>) => ({
    name: 'validation',
    marketMode: 'continuous',
    intervalMinutes: 15,
    operator: { name: 'operator', locationId: 'feeder-1' },
    ...overrides,
  });

  it('names the field, the allowed values and the value received for a union of literals', async () => {
    const res = await call(server.url, 'POST', '/v1/platforms', {
      key: server.adminKey,
      body: platform({ intervalMinutes: -15 }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.message).toBe('body.intervalMinutes: must be one of 5, 15, 30, 60 (got -15)');
    expect(res.body.error.issues).toEqual([
      {
        code: 'invalid_union',
        path: ['body', 'intervalMinutes'],
        message: 'must be one of 5, 15, 30, 60 (got -15)',
      },
    ]);
  });

  it('names nested fields and enum rules', async () => {
    const res = await call(server.url, 'POST', '/v1/platforms', {
      key: server.adminKey,
      body: platform({ marketMode: 'barter', operator: { name: '', locationId: 'feeder-1' } }),
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.issues.map((issue: { path: string[] }) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['body.marketMode', 'body.operator.name']));
    const mode = res.body.error.issues.find((issue: { path: string[] }) => issue.path[1] === 'marketMode');
    expect(mode.message).toMatch(/continuous.*call.*\(got "barter"\)/);
  });

  it('names a bad query parameter', async () => {
    const created = await call(server.url, 'POST', '/v1/platforms', {
      key: server.adminKey,
      body: platform({}),
    });
    expect(created.status).toBe(201);
    const res = await call(server.url, 'GET', `/v1/platforms/${created.body.platform.id}/orders?limit=-3`, {
      key: created.body.credential.apiKey,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toEqual(['query', 'limit']);
    expect(res.body.error.message).toMatch(/^query\.limit: .*>=1.*\(got "-3"\)$/);
  });
});
