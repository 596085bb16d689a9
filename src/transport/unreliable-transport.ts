// A seeded Transport wrapper that loses, delays and reorders messages (tests and studies of asynchronous protocols).
//
// Each `send` is dropped with probability `lossProbability`; otherwise it is held for a whole number of delay
// steps d ∈ {0, …, maxDelaySteps} (uniform) and released to the inner transport when the clock has advanced by
// d · `stepMs` past its send time. Messages released at the same `setClock` are handed on in a seeded random order,
// so later messages can overtake earlier ones. The draws come from the injected seed only: the same seed and the
// same sends give the same deliveries.
import { createRandom, type RandomSource } from '../numeric/random.ts';
import type { Envelope, MessageBody } from './messages.ts';
import type { Transport } from './transport.ts';

export interface UnreliableTransportOptions {
  readonly lossProbability: number;
  /** Largest delay in steps (a step is `stepMs` of the clock, e.g. one negotiation round). */
  readonly maxDelaySteps: number;
  readonly stepMs: number;
  readonly seed: number;
}

export interface UnreliableTransport extends Transport {
  /** Messages sent, dropped, and held (not yet released) so far. */
  readonly counts: () => { sent: number; lost: number; held: number };
}

interface Held {
  readonly dueMs: number;
  readonly from: string;
  readonly to: string;
  readonly body: MessageBody;
  readonly order: number;
}

/** Wrap `inner`: sends go through loss and delay; `setClock` releases what is due, then sets the inner clock. */
export function createUnreliableTransport(
  inner: Transport,
  options: UnreliableTransportOptions,
): UnreliableTransport {
  const rng: RandomSource = createRandom(options.seed);
  let held: Held[] = [];
  let nowMs = 0;
  let sent = 0;
  let lost = 0;
  let seq = 0;
  return {
    send(from: string, to: string, body: MessageBody): Envelope {
      sent++;
      seq++;
      const envelope: Envelope = { seq, from, to, sentAtUtc: new Date(nowMs).toISOString(), body };
      if (rng.next() < options.lossProbability) {
        lost++;
        return envelope;
      }
      const delay = Math.min(options.maxDelaySteps, Math.floor(rng.next() * (options.maxDelaySteps + 1)));
      const item = { dueMs: nowMs + delay * options.stepMs, from, to, body, order: rng.next() };
      if (delay === 0) inner.send(from, to, body);
      else held.push(item);
      return envelope;
    },
    subscribe: (address, handler) => inner.subscribe(address, handler),
    drain: () => inner.drain(),
    setClock(utc: string): void {
      nowMs = Date.parse(utc);
      inner.setClock(utc);
      const due = held.filter((h) => h.dueMs <= nowMs).sort((a, b) => a.order - b.order);
      held = held.filter((h) => h.dueMs > nowMs);
      for (const h of due) inner.send(h.from, h.to, h.body);
    },
    counts: () => ({ sent, lost, held: held.length }),
  };
}
