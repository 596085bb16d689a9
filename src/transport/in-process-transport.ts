// In-process Transport: a FIFO queue of JSON-serialised, schema-validated envelopes delivered deterministically.
import { InputError, parseInput } from '../core/errors.ts';
import { type Envelope, envelopeSchema, type MessageBody } from './messages.ts';
import type { MessageHandler, Transport } from './transport.ts';

export interface InProcessTransportOptions {
  /** Called with every envelope as delivered (tracing, message counts). */
  readonly onDeliver?: (envelope: Envelope, bytes: number) => void;
}

/**
 * Messages are serialised to JSON on `send` and parsed back (and validated) on delivery, exactly what a network
 * transport does, so nothing that cannot cross a process boundary slips through. Delivery order is send order;
 * handlers run one at a time, so a simulation is reproducible.
 */
export function createInProcessTransport(options: InProcessTransportOptions = {}): Transport {
  const handlers = new Map<string, MessageHandler>();
  const queue: string[] = [];
  let seq = 0;
  let nowUtc = '1970-01-01T00:00:00.000Z';
  let draining: Promise<void> | undefined;

  const deliverAll = async (): Promise<void> => {
    while (queue.length > 0) {
      const text = queue.shift()!;
      const envelope = parseInput(envelopeSchema, JSON.parse(text), ['envelope']);
      const handler = handlers.get(envelope.to);
      if (!handler)
        throw InputError.single('unknown_address', ['to'], `no controller listens on "${envelope.to}"`);
      options.onDeliver?.(envelope, text.length);
      await handler(envelope);
    }
  };

  return {
    send(from: string, to: string, body: MessageBody): Envelope {
      seq += 1;
      const envelope: Envelope = { seq, from, to, sentAtUtc: nowUtc, body };
      queue.push(JSON.stringify(envelope));
      return envelope;
    },
    subscribe(address: string, handler: MessageHandler): void {
      if (handlers.has(address))
        throw InputError.single('duplicate_address', ['address'], `"${address}" already has a handler`);
      handlers.set(address, handler);
    },
    async drain(): Promise<void> {
      draining ??= deliverAll().finally(() => {
        draining = undefined;
      });
      await draining;
    },
    setClock(utc: string): void {
      nowUtc = new Date(Date.parse(utc)).toISOString();
    },
  };
}
