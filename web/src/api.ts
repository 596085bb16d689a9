// Data access: the view model of `gridnest view`, and the live service API with the API key as bearer credential.
import type { FeederSnapshot, ViewSummary } from '../../src/dashboard/view-model.ts';

export type { FeederSnapshot, ViewSummary };

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message ?? response.statusText;
    throw new Error(`${response.status}: ${message}`);
  }
  return body as T;
}

export const fetchMode = () => getJson<{ mode: 'view' | 'live' }>('mode.json');

let summary: Promise<ViewSummary> | undefined;
export const fetchSummary = () => (summary ??= getJson<ViewSummary>('../api/view/summary'));

const feeders = new Map<string, Promise<FeederSnapshot>>();
export function fetchFeeder(platform: string): Promise<FeederSnapshot> {
  let feeder = feeders.get(platform);
  if (!feeder)
    feeders.set(platform, (feeder = getJson(`../api/view/feeders/${encodeURIComponent(platform)}`)));
  return feeder;
}

export interface Member {
  readonly id: string;
  readonly platformId: string;
  readonly name: string;
  readonly role: 'prosumer' | 'operator' | 'dso';
  readonly locationId: string;
  readonly busId: string | null;
  readonly feederId: string | null;
}

/** A logged-in session: the key stays in sessionStorage of this tab only. */
export class LiveClient {
  constructor(readonly key: string) {}

  get<T>(path: string): Promise<T> {
    return getJson<T>(`../v1${path}`, { headers: { authorization: `Bearer ${this.key}` } });
  }

  me(): Promise<{ isAdmin: boolean; member: Member | null }> {
    return this.get('/me');
  }

  /** Follow a platform's WebSocket channels; the key travels as a subprotocol (see dashboard-routes.ts). */
  stream(
    platformId: string,
    channels: readonly string[],
    onMessage: (channel: string, data: unknown) => void,
  ): WebSocket {
    const url = new URL(`../v1/platforms/${encodeURIComponent(platformId)}/stream`, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('channels', channels.join(','));
    const socket = new WebSocket(url, ['gridnest', `gridnest-key.${this.key}`]);
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { channel: string; data: unknown };
      onMessage(message.channel, message.data);
    });
    return socket;
  }
}
