// In-process transport: JSON round trip with validation, send-order delivery, errors for bad messages and addresses.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { createInProcessTransport } from './in-process-transport.ts';
import type { Envelope, MessageBody } from './messages.ts';

const stage: MessageBody = {
  type: 'stage',
  stage: 'day-ahead',
  phase: 'bid',
  dayStartUtc: '2024-04-15T00:00:00.000Z',
};

describe('in-process transport', () => {
  it('delivers validated copies in send order, including messages sent while handling', async () => {
    const t = createInProcessTransport();
    const seen: string[] = [];
    t.subscribe('a', (e) => {
      seen.push(`a:${e.seq}`);
      if (e.seq === 1) t.send('a', 'b', { ...stage, phase: 'reply' });
    });
    t.subscribe('b', (e: Envelope) => {
      seen.push(`b:${e.seq}:${e.body.type === 'stage' ? e.body.phase : ''}:${e.sentAtUtc}`);
    });
    t.setClock('2024-04-14T10:00:00Z');
    t.send('engine', 'a', stage);
    t.send('engine', 'b', stage);
    await t.drain();
    expect(seen).toEqual(['a:1', 'b:2:bid:2024-04-14T10:00:00.000Z', 'b:3:reply:2024-04-14T10:00:00.000Z']);
  });

  it('hands handlers a copy that crossed a JSON boundary', async () => {
    const t = createInProcessTransport();
    const body: MessageBody = {
      type: 'limits',
      startUtc: '2024-04-15T00:00:00Z',
      stepMin: 30,
      importMaxKw: [1, 2],
      exportMaxKw: [3, 4],
    };
    let received: MessageBody | undefined;
    t.subscribe('x', (e) => {
      received = e.body;
    });
    t.send('y', 'x', body);
    body.importMaxKw[0] = 99;
    await t.drain();
    expect(received).toEqual({ ...body, importMaxKw: [1, 2] });
  });

  it('rejects bodies that do not match a schema and unknown addresses', async () => {
    const t = createInProcessTransport();
    t.subscribe('x', () => {});
    t.send('y', 'x', {
      type: 'limits',
      startUtc: 'yesterday',
      stepMin: 30,
      importMaxKw: [],
      exportMaxKw: [],
    } as unknown as MessageBody);
    await expect(t.drain()).rejects.toBeInstanceOf(InputError);
    const u = createInProcessTransport();
    u.send('y', 'nobody', stage);
    await expect(u.drain()).rejects.toThrow(/no controller listens/);
  });
});
