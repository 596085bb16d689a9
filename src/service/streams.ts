// WebSocket fan-out: per-platform channels (book, trades, prices) to authorised subscribers.
import type { WebSocket } from 'ws';

export const CHANNELS = ['book', 'trades', 'prices'] as const;
export type Channel = (typeof CHANNELS)[number];

interface Subscriber {
  readonly socket: WebSocket;
  readonly channels: ReadonlySet<Channel>;
  /** Builds the message this subscriber may see (e.g. trade parties hidden from other prosumers), or null. */
  readonly view: (channel: Channel, payload: unknown) => unknown;
}

export class StreamHub {
  private readonly byPlatform = new Map<string, Set<Subscriber>>();

  subscribe(platformId: string, subscriber: Subscriber): () => void {
    let set = this.byPlatform.get(platformId);
    if (!set) {
      set = new Set();
      this.byPlatform.set(platformId, set);
    }
    set.add(subscriber);
    return () => set.delete(subscriber);
  }

  publish(platformId: string, channel: Channel, payload: unknown): void {
    const set = this.byPlatform.get(platformId);
    if (!set) return;
    for (const subscriber of set) {
      if (!subscriber.channels.has(channel) || subscriber.socket.readyState !== 1) continue;
      const data = subscriber.view(channel, payload);
      if (data !== null) subscriber.socket.send(JSON.stringify({ channel, platformId, data }));
    }
  }

  closeAll(): void {
    for (const set of this.byPlatform.values())
      for (const s of set) s.socket.close(1001, 'server shutting down');
    this.byPlatform.clear();
  }
}
