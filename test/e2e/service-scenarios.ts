// Shared e2e scenarios for the service, run on PGlite (service.test.ts) and PostgreSQL (service-postgres.test.ts).
import { expect, it } from 'vitest';
import {
  call,
  isoOf,
  nextIntervalStart,
  openStream,
  type ServerHandle,
  spawnServer,
  waitFor,
} from './service-harness.ts';

const HOUR_MS = 3_600_000;

interface Party {
  readonly id: string;
  readonly key: string;
}

async function createPlatform(
  server: ServerHandle,
  marketMode: 'continuous' | 'call',
  locations: Record<string, string>,
) {
  const created = await call(server.url, 'POST', '/v1/platforms', {
    key: server.adminKey,
    body: {
      name: `test ${marketMode}`,
      marketMode,
      intervalMinutes: 15,
      operator: { name: 'operator', locationId: 'feeder-1' },
    },
  });
  expect(created.status).toBe(201);
  const platformId: string = created.body.platform.id;
  const operator: Party = { id: created.body.operator.id, key: created.body.credential.apiKey };
  const members: Record<string, Party> = {};
  for (const [name, locationId] of Object.entries(locations)) {
    const role = name === 'dso' ? 'dso' : 'prosumer';
    const res = await call(server.url, 'POST', `/v1/platforms/${platformId}/members`, {
      key: operator.key,
      body: { name, role, locationId, der: { pvKwp: 5 } },
    });
    expect(res.status).toBe(201);
    members[name] = { id: res.body.member.id, key: res.body.credential.apiKey };
  }
  return { platformId, operator, members };
}

function schedule(startMs: number) {
  return {
    startUtc: isoOf(startMs),
    intervalMinutes: 15,
    intervalCount: 4,
    locations: [
      {
        locationId: 'feeder-1',
        importPriceEurPerKwh: [0.3, 0.3, 0.3, 0.3],
        exportPriceEurPerKwh: [0.05, 0.05, 0.05, 0.05],
      },
      {
        locationId: 'feeder-2',
        importPriceEurPerKwh: [0.32, 0.32, 0.32, 0.32],
        exportPriceEurPerKwh: [0.04, 0.04, 0.04, 0.04],
      },
    ],
    fees: [
      { buyerLocationId: 'feeder-1', sellerLocationId: 'feeder-1', feeEurPerKwh: [0.01, 0.01, 0.01, 0.01] },
      { buyerLocationId: 'feeder-1', sellerLocationId: 'feeder-2', feeEurPerKwh: [0.02, 0.02, 0.02, 0.02] },
    ],
  };
}

const order = (
  clientOrderId: string,
  side: 'buy' | 'sell',
  startMs: number,
  energyKwh: number,
  price: number,
) => ({
  clientOrderId,
  side,
  intervalStart: isoOf(startMs),
  energyKwh,
  limitPriceEurPerKwh: price,
});

/** Register the scenario tests; `getServer` returns the running server shared by the file. */
export function defineServiceScenarios(getServer: () => ServerHandle): void {
  it('serves health, OpenAPI and docs without a key', async () => {
    const server = getServer();
    const health = await call(server.url, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    const openApi = await call(server.url, 'GET', '/openapi.json');
    expect(openApi.body.openapi).toBe('3.1.0');
    const orderPost = openApi.body.paths['/v1/platforms/{platformId}/orders'].post;
    expect(orderPost.requestBody.content['application/json'].schema.properties.energyKwh).toBeDefined();
    const docs = await call(server.url, 'GET', '/docs');
    expect(docs.status).toBe(200);
    expect(String(docs.body)).toContain('/v1/platforms/{platformId}/orders');
  });

  it('runs the full continuous flow with exact ledger balances', async () => {
    const server = getServer();
    const t = nextIntervalStart(2 * HOUR_MS);
    const { platformId, operator, members } = await createPlatform(server, 'continuous', {
      dso: 'feeder-1',
      alice: 'feeder-1',
      bob: 'feeder-1',
      carol: 'feeder-2',
    });
    const { alice, bob, carol, dso } = members;
    // Listing the schedule that applies: empty before one is published, then exactly the published one.
    const applicable = () =>
      call(
        server.url,
        'GET',
        `/v1/platforms/${platformId}/price-schedules?intervalStart=${encodeURIComponent(isoOf(t))}`,
        {
          key: alice.key,
        },
      );
    expect((await applicable()).body).toEqual({ schedules: [] });
    const published = await call(server.url, 'POST', `/v1/platforms/${platformId}/price-schedules`, {
      key: dso.key,
      body: schedule(t),
    });
    expect(published.status).toBe(201);
    const listed = await applicable();
    expect(listed.status).toBe(200);
    expect(listed.body.schedules).toHaveLength(1);
    expect(listed.body.schedules[0].schedule.startUtc).toBe(schedule(t).startUtc);
    const stream = await openStream(server.url, platformId, alice.key);

    const a1 = await call(server.url, 'POST', `/v1/platforms/${platformId}/orders`, {
      key: alice.key,
      body: order('a1', 'sell', t, 2, 0.2),
    });
    expect(a1.status).toBe(201);
    expect(a1.body.order.status).toBe('open');
    const c1 = await call(server.url, 'POST', `/v1/platforms/${platformId}/orders`, {
      key: carol.key,
      body: order('c1', 'sell', t, 1, 0.18),
    });
    expect(c1.status).toBe(201);
    // Bob's bid crosses carol's ask (best, 0.18) then alice's (0.20), each at the resting price.
    const b1 = await call(server.url, 'POST', `/v1/platforms/${platformId}/orders`, {
      key: bob.key,
      body: order('b1', 'buy', t, 2.5, 0.22),
    });
    expect(b1.status).toBe(201);
    expect(b1.body.order.status).toBe('filled');
    expect(
      b1.body.trades.map((x: { energyKwh: number; priceEurPerKwh: number }) => [
        x.energyKwh,
        x.priceEurPerKwh,
      ]),
    ).toEqual([
      [1, 0.18],
      [1.5, 0.2],
    ]);
    const book = await call(server.url, 'GET', `/v1/platforms/${platformId}/book?intervalStart=${isoOf(t)}`, {
      key: bob.key,
    });
    expect(book.body.asks).toEqual([{ priceEurPerKwh: 0.2, energyKwh: 0.5, orders: 1 }]);
    expect(book.body.bids).toEqual([]);
    await waitFor(() => stream.messages.some((m) => m.channel === 'trades'));
    const streamed = stream.messages.filter((m) => m.channel === 'trades').flatMap((m) => m.data);
    expect(streamed).toHaveLength(2);
    expect(streamed[1].sellerId).toBe(alice.id); // alice is a party of the second trade
    expect(streamed[0].sellerId).toBeUndefined(); // but not of the first: parties hidden
    stream.socket.close();

    // Too early to settle.
    const early = await call(server.url, 'POST', `/v1/platforms/${platformId}/settlements`, {
      key: operator.key,
      body: { intervalStart: isoOf(t) },
    });
    expect(early.status).toBe(409);
    const readings = await call(server.url, 'PUT', `/v1/platforms/${platformId}/meter-readings`, {
      key: dso.key,
      body: {
        readings: [
          { memberId: alice.id, intervalStart: isoOf(t), importKwh: 0, exportKwh: 1.2 },
          { memberId: bob.id, intervalStart: isoOf(t), importKwh: 2.7, exportKwh: 0 },
          { memberId: carol.id, intervalStart: isoOf(t), importKwh: 0, exportKwh: 1.1 },
        ],
      },
    });
    expect(readings.status).toBe(200);
    // Reading them back: a prosumer sees only its own, the operator all three (ordered by member id).
    const aliceReadings = await call(server.url, 'GET', `/v1/platforms/${platformId}/meter-readings`, {
      key: alice.key,
    });
    expect(aliceReadings.status).toBe(200);
    expect(aliceReadings.body.readings).toMatchObject([
      { memberId: alice.id, intervalStart: isoOf(t), importKwh: 0, exportKwh: 1.2 },
    ]);
    const all = await call(
      server.url,
      'GET',
      `/v1/platforms/${platformId}/meter-readings?intervalStart=${encodeURIComponent(isoOf(t))}`,
      { key: operator.key },
    );
    expect(
      all.body.readings.map((r: { memberId: string; importKwh: number }) => [r.memberId, r.importKwh]),
    ).toEqual([alice.id, bob.id, carol.id].sort().map((id) => [id, id === bob.id ? 2.7 : 0]));
    const badLimit = await call(server.url, 'GET', `/v1/platforms/${platformId}/meter-readings?limit=0`, {
      key: operator.key,
    });
    expect(badLimit.status).toBe(400);
    const clock = await call(server.url, 'POST', '/v1/admin/clock', {
      key: server.adminKey,
      body: { now: isoOf(t + 15 * 60_000) },
    });
    expect(clock.status).toBe(200);
    const run = await call(server.url, 'POST', `/v1/platforms/${platformId}/settlements`, {
      key: operator.key,
      body: { intervalStart: isoOf(t) },
    });
    expect(run.status).toBe(201);
    expect(run.body.tradeCount).toBe(2);
    // Hand-computed (micro-euros; + received, − paid):
    //  trade carol→bob 1 kWh @0.18, fee f1←f2 0.02: bob −200000, carol +180000, dso +20000
    //  trade alice→bob 1.5 kWh @0.20, fee f1←f1 0.01: bob −315000, alice +300000, dso +15000
    //  alice sold 1.5, exported 1.2: shortfall 0.3 kWh @ import 0.30 → −90000 (dso +90000)
    //  bob bought 2.5, imported 2.7: shortfall 0.2 kWh @ import 0.30 → −60000 (dso +60000)
    //  carol sold 1.0, exported 1.1: surplus 0.1 kWh @ export 0.04 (feeder-2) → +4000 (dso −4000)
    const balances = await call(server.url, 'GET', `/v1/platforms/${platformId}/ledger/balances`, {
      key: operator.key,
    });
    const byAccount = Object.fromEntries(
      balances.body.accounts.map((a: { accountId: string; balanceMicroEur: number }) => [
        a.accountId,
        a.balanceMicroEur,
      ]),
    );
    expect(byAccount).toEqual({
      [alice.id]: 210_000,
      [bob.id]: -575_000,
      [carol.id]: 184_000,
      [dso.id]: 181_000,
      ...(byAccount['rounding-residual'] !== undefined ? { 'rounding-residual': 0 } : {}),
    });
    const total = Object.values(byAccount as Record<string, number>).reduce((x, y) => x + y, 0);
    expect(total).toBe(0);
    // A prosumer sees only its own balance and its own line of the run.
    const own = await call(server.url, 'GET', `/v1/platforms/${platformId}/ledger/balances`, {
      key: alice.key,
    });
    expect(own.body.accounts).toEqual([{ accountId: alice.id, balanceMicroEur: 210_000, balanceEur: 0.21 }]);
    const ownRun = await call(server.url, 'GET', `/v1/platforms/${platformId}/settlements/${isoOf(t)}`, {
      key: alice.key,
    });
    expect(ownRun.body.members).toHaveLength(1);
    expect(ownRun.body.members[0]).toMatchObject({
      memberId: alice.id,
      imbalanceKwh: -0.3,
      imbalanceMicroEur: -90_000,
    });
    // Settling again returns the same run and posts nothing twice.
    const again = await call(server.url, 'POST', `/v1/platforms/${platformId}/settlements`, {
      key: operator.key,
      body: { intervalStart: isoOf(t) },
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(run.body.id);
    const after = await call(server.url, 'GET', `/v1/platforms/${platformId}/ledger/balances`, {
      key: operator.key,
    });
    expect(after.body).toEqual(balances.body);
    // Alice's unfilled 0.5 kWh expired with the interval; readings of a settled interval are frozen.
    const aliceOrder = await call(server.url, 'GET', `/v1/orders/${a1.body.order.id}`, { key: alice.key });
    expect(aliceOrder.body).toMatchObject({ status: 'expired', remainingKwh: 0.5 });
    const late = await call(server.url, 'PUT', `/v1/platforms/${platformId}/meter-readings`, {
      key: dso.key,
      body: { readings: [{ memberId: bob.id, intervalStart: isoOf(t), importKwh: 9, exportKwh: 0 }] },
    });
    expect(late.status).toBe(409);
  });

  it('clears a call platform at one uniform price at gate closure', async () => {
    const server = getServer();
    const t = nextIntervalStart(6 * HOUR_MS);
    const { platformId, operator, members } = await createPlatform(server, 'call', {
      s1: 'feeder-1',
      s2: 'feeder-1',
      b1: 'feeder-1',
      b2: 'feeder-1',
    });
    const submit = (who: Party, id: string, side: 'buy' | 'sell', price: number) =>
      call(server.url, 'POST', `/v1/platforms/${platformId}/orders`, {
        key: who.key,
        body: order(id, side, t, 1, price),
      });
    expect((await submit(members.s1, 's1', 'sell', 0.1)).body.trades).toEqual([]);
    await submit(members.s2, 's2', 'sell', 0.2);
    await submit(members.b1, 'b1', 'buy', 0.25);
    await submit(members.b2, 'b2', 'buy', 0.15);
    const stillOpen = await call(
      server.url,
      'POST',
      `/v1/platforms/${platformId}/intervals/${isoOf(t)}/clear`,
      { key: operator.key },
    );
    expect(stillOpen.status).toBe(409);
    await call(server.url, 'POST', '/v1/admin/clock', { key: server.adminKey, body: { now: isoOf(t) } });
    // Advancing the clock ran the auction: price = midpoint of [max(0.10, 0.15), min(0.25, 0.20)] = 0.175.
    const cleared = await call(
      server.url,
      'POST',
      `/v1/platforms/${platformId}/intervals/${isoOf(t)}/clear`,
      { key: operator.key },
    );
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ alreadyCleared: true, priceEurPerKwh: 0.175, energyKwh: 1 });
    expect(cleared.body.trades).toHaveLength(1);
    expect(cleared.body.trades[0]).toMatchObject({
      buyerId: members.b1.id,
      sellerId: members.s1.id,
      priceEurPerKwh: 0.175,
    });
    const orders = await call(server.url, 'GET', `/v1/platforms/${platformId}/orders`, { key: operator.key });
    const statuses = Object.fromEntries(
      orders.body.orders.map((o: { clientOrderId: string; status: string }) => [o.clientOrderId, o.status]),
    );
    expect(statuses).toEqual({ s1: 'filled', b1: 'filled', s2: 'expired', b2: 'expired' });
  });

  it('enforces authentication, ownership, validation, size limits and idempotency', async () => {
    const server = getServer();
    const t = nextIntervalStart(10 * HOUR_MS);
    const one = await createPlatform(server, 'continuous', { alice: 'feeder-1', bob: 'feeder-1' });
    const two = await createPlatform(server, 'continuous', { mallory: 'feeder-1' });
    const { alice, bob } = one.members;
    const ordersPath = `/v1/platforms/${one.platformId}/orders`;
    // 401: no key, malformed key, well-formed but unknown key.
    expect((await call(server.url, 'POST', ordersPath, { body: order('x', 'buy', t, 1, 0.1) })).status).toBe(
      401,
    );
    expect(
      (await call(server.url, 'POST', ordersPath, { key: 'nope', body: order('x', 'buy', t, 1, 0.1) }))
        .status,
    ).toBe(401);
    const forged = `${alice.key.slice(0, -4)}AAAA`;
    expect(
      (await call(server.url, 'POST', ordersPath, { key: forged, body: order('x', 'buy', t, 1, 0.1) }))
        .status,
    ).toBe(401);
    // Another member's order: 404 to read, 404 to cancel.
    const mine = await call(server.url, 'POST', ordersPath, {
      key: alice.key,
      body: order('k1', 'sell', t, 1, 0.3),
    });
    expect(mine.status).toBe(201);
    expect((await call(server.url, 'GET', `/v1/orders/${mine.body.order.id}`, { key: bob.key })).status).toBe(
      404,
    );
    expect(
      (await call(server.url, 'DELETE', `/v1/orders/${mine.body.order.id}`, { key: bob.key })).status,
    ).toBe(404);
    const bobsView = await call(server.url, 'GET', ordersPath, { key: bob.key });
    expect(bobsView.body.orders).toEqual([]);
    // Another platform: 404 (not revealed); wrong role: 403.
    expect(
      (
        await call(server.url, 'POST', ordersPath, {
          key: two.members.mallory.key,
          body: order('m', 'buy', t, 1, 1),
        })
      ).status,
    ).toBe(404);
    expect(
      (await call(server.url, 'GET', `/v1/platforms/${one.platformId}/members`, { key: alice.key })).status,
    ).toBe(403);
    expect(
      (
        await call(server.url, 'POST', ordersPath, {
          key: one.operator.key,
          body: order('o', 'buy', t, 1, 1),
        })
      ).status,
    ).toBe(403);
    // 400 naming the field.
    const badEnergy = await call(server.url, 'POST', ordersPath, {
      key: alice.key,
      body: { ...order('k2', 'sell', t, 1, 0.3), energyKwh: 'lots' },
    });
    expect(badEnergy.status).toBe(400);
    expect(badEnergy.body.error.issues[0].path).toEqual(['body', 'energyKwh']);
    const { side: _side, ...withoutSide } = order('k3', 'sell', t, 1, 0.3);
    const noSide = await call(server.url, 'POST', ordersPath, { key: alice.key, body: withoutSide });
    expect(noSide.status).toBe(400);
    expect(noSide.body.error.message).toContain('body.side');
    const misaligned = await call(server.url, 'POST', ordersPath, {
      key: alice.key,
      body: order('k4', 'sell', t + 60_000, 1, 0.3),
    });
    expect(misaligned.status).toBe(400);
    expect(misaligned.body.error.issues[0].path).toEqual(['body', 'intervalStart']);
    const badJson = await call(server.url, 'POST', ordersPath, { key: alice.key, rawBody: '{"side":' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.issues[0].path).toEqual(['body']);
    // 413 naming the body.
    const huge = await call(server.url, 'POST', ordersPath, {
      key: alice.key,
      body: { ...order('k5', 'sell', t, 1, 0.3), padding: 'x'.repeat(100_000) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.issues[0].path).toEqual(['body']);
    // Idempotent replay: same result, no duplicate; same key with other fields: 409.
    const replay = await call(server.url, 'POST', ordersPath, {
      key: alice.key,
      body: order('k1', 'sell', t, 1, 0.3),
    });
    expect(replay.status).toBe(200);
    expect(replay.body.replayed).toBe(true);
    expect(replay.body.order).toEqual(mine.body.order);
    const concurrent = await Promise.all(
      [1, 2, 3, 4].map(() =>
        call(server.url, 'POST', ordersPath, { key: bob.key, body: order('same', 'buy', t, 0.4, 0.35) }),
      ),
    );
    expect(new Set(concurrent.map((r) => r.body.order.id)).size).toBe(1);
    expect(concurrent.filter((r) => r.status === 201)).toHaveLength(1);
    const reused = await call(server.url, 'POST', ordersPath, {
      key: alice.key,
      body: order('k1', 'sell', t, 2, 0.3),
    });
    expect(reused.status).toBe(409);
    expect(reused.body.error.issues[0].path).toEqual(['body', 'clientOrderId']);
    const all = await call(server.url, 'GET', ordersPath, { key: one.operator.key });
    expect(all.body.orders.map((o: { clientOrderId: string }) => o.clientOrderId).sort()).toEqual([
      'k1',
      'same',
    ]);
    // Streams: no key is refused at the upgrade; a member of another platform is closed with 4404.
    await expect(openStream(server.url, one.platformId, undefined)).rejects.toThrow('401');
    const foreign = await openStream(server.url, one.platformId, two.members.mallory.key);
    expect(await foreign.closed).toBe(4404);
    // Revoked keys stop working at once.
    const fresh = await call(server.url, 'POST', `/v1/members/${bob.id}/credentials`, { key: bob.key });
    expect(fresh.status).toBe(201);
    expect(
      (await call(server.url, 'DELETE', `/v1/credentials/${fresh.body.keyId}`, { key: bob.key })).status,
    ).toBe(200);
    expect((await call(server.url, 'GET', '/v1/me', { key: fresh.body.apiKey })).status).toBe(401);
    // 429 once a key exceeds its burst.
    const statuses = await Promise.all(
      Array.from({ length: 150 }, () => call(server.url, 'GET', '/v1/me', { key: alice.key })),
    );
    expect(statuses.some((r) => r.status === 429)).toBe(true);
  });
}

export interface CrashOutcome {
  readonly acked: number;
  readonly recoveredCommittedButUnacked: number;
}

/**
 * SIGKILL the server during a burst of orders, restart it, and check: every acknowledged order is there once with
 * the acknowledged result, replays of every key return one order, book volumes are consistent with trades, and
 * the settled ledger sums to zero and matches the trades.
 */
export async function runCrashScenario(
  server: ServerHandle,
  restart: () => Promise<ServerHandle>,
): Promise<{ server: ServerHandle; outcome: CrashOutcome }> {
  const t = nextIntervalStart(14 * HOUR_MS + Math.floor(Math.random() * 20) * HOUR_MS);
  const { platformId, operator, members } = await createPlatform(server, 'continuous', {
    dso: 'feeder-1',
    p1: 'feeder-1',
    p2: 'feeder-1',
    p3: 'feeder-1',
    p4: 'feeder-1',
  });
  const noFees = { ...schedule(t), fees: [] };
  expect(
    (
      await call(server.url, 'POST', `/v1/platforms/${platformId}/price-schedules`, {
        key: members.dso.key,
        body: noFees,
      })
    ).status,
  ).toBe(201);
  const traders = [members.p1, members.p2, members.p3, members.p4];
  const requests = Array.from({ length: 2000 }, (_, i) => ({
    who: traders[i % 4],
    body: order(
      `burst-${i}`,
      i % 2 === 0 ? 'sell' : 'buy',
      t,
      1 + (i % 3),
      i % 2 === 0 ? 0.1 + (i % 7) * 0.01 : 0.13 + (i % 5) * 0.01,
    ),
  }));
  const acked = new Map<string, { status: number; body: any }>();
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (!killed && next < requests.length) {
      const r = requests[next++];
      try {
        const res = await call(server.url, 'POST', `/v1/platforms/${platformId}/orders`, {
          key: r.who.key,
          body: r.body,
        });
        if (res.status === 201) acked.set(r.body.clientOrderId, res);
      } catch {
        // connection reset by the kill: not acknowledged
      }
    }
  };
  const workers = Array.from({ length: 16 }, worker);
  await waitFor(() => acked.size >= 300, 30_000);
  killed = true;
  await server.kill();
  await Promise.all(workers);
  const restarted = await restart();
  // Every acknowledged order exists with the acknowledged result.
  let recovered = 0;
  for (const r of requests.slice(0, next)) {
    const res = await call(restarted.url, 'POST', `/v1/platforms/${platformId}/orders`, {
      key: r.who.key,
      body: r.body,
    });
    const first = acked.get(r.body.clientOrderId);
    if (first) {
      expect(res.status).toBe(200);
      expect(res.body.order).toEqual(first.body.order);
      expect(res.body.trades).toEqual(first.body.trades);
    } else if (res.status === 200) recovered++;
    else expect(res.status).toBe(201);
  }
  // No duplicates: one order per key; remaining volume consistent with the stored trades.
  const orders = await call(restarted.url, 'GET', `/v1/platforms/${platformId}/orders?limit=1000`, {
    key: operator.key,
  });
  const more = await call(
    restarted.url,
    'GET',
    `/v1/platforms/${platformId}/orders?limit=1000&status=filled`,
    { key: operator.key },
  );
  const keys = orders.body.orders.map((o: { clientOrderId: string }) => o.clientOrderId);
  expect(new Set(keys).size).toBe(keys.length);
  expect(more.status).toBe(200);
  // Settle with meter readings equal to the traded positions: balances are exactly the trade values.
  const tradesRes = await call(
    restarted.url,
    'GET',
    `/v1/platforms/${platformId}/trades?intervalStart=${isoOf(t)}&limit=1000`,
    {
      key: operator.key,
    },
  );
  const trades: { buyerId: string; sellerId: string; energyKwh: number; priceEurPerKwh: number }[] =
    tradesRes.body.trades;
  expect(trades.length).toBeGreaterThan(0);
  expect(trades.length).toBeLessThan(1000);
  const expected = new Map<string, number>();
  const netWh = new Map<string, number>();
  for (const trade of trades) {
    const valueMicro = (Math.round(trade.energyKwh * 1000) * Math.round(trade.priceEurPerKwh * 1e6)) / 1000;
    expected.set(trade.sellerId, (expected.get(trade.sellerId) ?? 0) + valueMicro);
    expected.set(trade.buyerId, (expected.get(trade.buyerId) ?? 0) - valueMicro);
    const wh = Math.round(trade.energyKwh * 1000);
    netWh.set(trade.sellerId, (netWh.get(trade.sellerId) ?? 0) + wh);
    netWh.set(trade.buyerId, (netWh.get(trade.buyerId) ?? 0) - wh);
  }
  const readings = [...netWh.entries()].map(([memberId, wh]) => ({
    memberId,
    intervalStart: isoOf(t),
    importKwh: wh < 0 ? -wh / 1000 : 0,
    exportKwh: wh > 0 ? wh / 1000 : 0,
  }));
  expect(
    (
      await call(restarted.url, 'PUT', `/v1/platforms/${platformId}/meter-readings`, {
        key: members.dso.key,
        body: { readings },
      })
    ).status,
  ).toBe(200);
  await call(restarted.url, 'POST', '/v1/admin/clock', {
    key: restarted.adminKey,
    body: { now: isoOf(t + 15 * 60_000) },
  });
  const run = await call(restarted.url, 'POST', `/v1/platforms/${platformId}/settlements`, {
    key: operator.key,
    body: { intervalStart: isoOf(t) },
  });
  expect(run.status).toBe(201);
  expect(run.body.tradeCount).toBe(trades.length);
  const balances = await call(restarted.url, 'GET', `/v1/platforms/${platformId}/ledger/balances`, {
    key: operator.key,
  });
  let total = 0;
  for (const account of balances.body.accounts as { accountId: string; balanceMicroEur: number }[]) {
    total += account.balanceMicroEur;
    if (expected.has(account.accountId))
      expect(account.balanceMicroEur).toBe(expected.get(account.accountId));
  }
  expect(total).toBe(0);
  return { server: restarted, outcome: { acked: acked.size, recoveredCommittedButUnacked: recovered } };
}

export { spawnServer };
