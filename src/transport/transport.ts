// The messaging port between controllers: addresses, send, subscribe, drain. Implementations: in-process (now), NATS (later).
import type { Envelope, MessageBody } from './messages.ts';

/** A controller's message handler; may be async (the transport awaits it before delivering the next message). */
export type MessageHandler = (envelope: Envelope) => void | Promise<void>;

/**
 * How controllers talk. Controller code depends only on this interface: `send` a message body to an address,
 * `subscribe` a handler to one's own address. Bodies are validated against `messageBodySchema` and must survive
 * a JSON round trip, so a networked implementation (NATS subject per address) can replace the in-process one.
 */
export interface Transport {
  /** Queue a message; delivery is asynchronous, in send order per transport. Returns the sealed envelope. */
  send(from: string, to: string, body: MessageBody): Envelope;
  /** Deliver messages sent to `address` to `handler`. One handler per address. */
  subscribe(address: string, handler: MessageHandler): void;
  /** Resolve once every queued message (and those sent while handling them) has been handled. */
  drain(): Promise<void>;
  /** Simulated clock the transport stamps envelopes with (ISO 8601 UTC). */
  setClock(nowUtc: string): void;
}
