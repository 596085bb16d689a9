// NATS transport: remote delivery in link order, local FIFO, depth, exactly-once after a restarted process re-reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectNats,
  hasNatsServer,
  type LocalNatsServer,
  startLocalNatsServer,
} from '../../distributed/nats-server.ts';
import type { Envelope, MessageBody } from '../messages.ts';
import { NatsTransport } from './nats-transport.ts';
import { ensureRunStreams } from './streams.ts';
import { messageSubject, subjectToken } from './subjects.ts';

const stage = (phase: string): MessageBody => ({
  type: 'stage',
  stage: 'day-ahead',
  phase,
  dayStartUtc: '2024-06-01T00:00:00.000Z',
});
const phaseOf = (e: Envelope) => (e.body.type === 'stage' ? e.body.phase : '?');

describe('subjects', () => {
  it('name the recipient by hierarchy path and escape characters NATS reserves', () => {
    expect(messageSubject('r1', 'prices', ['tso', 'mv 1', 'lv.3'])).toBe(
      'gridnest.r1.prices.tso.mv_201.lv_2e3',
    );
    expect(subjectToken('a*b>c')).toBe('a_2ab_3ec');
  });
});

describe.skipIf(!hasNatsServer())('NatsTransport', () => {
  let server: LocalNatsServer;
  beforeAll(async () => {
    server = await startLocalNatsServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const open = async (runId: string, rank: number, log: string[], echo: boolean) => {
    const connection = await connectNats(server.url);
    const t = await NatsTransport.open({
      connection,
      runId,
      rank,
      ranks: 2,
      rankOf: (a) => (a.startsWith('b') ? 1 : 0),
      pathOf: (a) => (a.startsWith('b') ? ['tso', a] : ['tso']),
    });
    const address = rank === 0 ? 'a' : 'b';
    t.subscribe(address, (e) => {
      log.push(`${address}<${phaseOf(e)}`);
      if (echo) t.send(address, e.from, stage(`re-${phaseOf(e)}`));
    });
    if (rank === 0) t.subscribe('a2', (e) => void log.push(`a2<${phaseOf(e)}`));
    return { t, connection };
  };

  it('delivers remote messages in send order, each once, and a restarted process replays without re-applying', async () => {
    const boot = await connectNats(server.url);
    await ensureRunStreams(boot, 'run-a');
    const log0: string[] = [];
    const log1: string[] = [];
    const p0 = await open('run-a', 0, log0, false);
    const p1 = await open('run-a', 1, log1, true);
    for (const n of ['1', '2', '3']) p0.t.send('a', 'b', stage(n));
    p0.t.send('a', 'a2', stage('local'));
    const settled = async () => {
      for (let i = 0; i < 200; i++) {
        await Promise.all([p0.t.drain(), p1.t.drain()]);
        const s0 = p0.t.snapshot();
        const s1 = p1.t.snapshot();
        if (s0.sent[1] === s1.applied[0] && s1.sent[0] === s0.applied[1] && s0.applied[1] === 3) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('not settled');
    };
    await settled();
    expect(log1).toEqual(['b<1', 'b<2', 'b<3']);
    expect(log0).toEqual(['a2<local', 'a<re-1', 'a<re-2', 'a<re-3']);
    // Kill rank 1 and start it again: it re-reads its three inputs and re-sends three replies, which rank 0 drops.
    await p1.t.close();
    await p1.connection.close();
    const log1b: string[] = [];
    const p1b = await open('run-a', 1, log1b, true);
    for (let i = 0; i < 200 && p1b.t.snapshot().applied[0] < 3; i++)
      await new Promise((r) => setTimeout(r, 20));
    await p1b.t.drain();
    await new Promise((r) => setTimeout(r, 200));
    await p0.t.drain();
    expect(log1b).toEqual(['b<1', 'b<2', 'b<3']);
    expect(log0.filter((l) => l.startsWith('a<'))).toHaveLength(3);
    expect(p0.t.snapshot().applied[1]).toBe(3);
    expect(p1b.t.snapshot().sent[0]).toBe(3);
    for (const p of [p0, p1b]) {
      await p.t.close();
      await p.connection.close();
    }
    await boot.close();
  }, 20_000);
});
