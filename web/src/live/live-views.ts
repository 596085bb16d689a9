// Live mode (`gridnest serve`): login by API key, then the view of the key's role; the page follows the platform's
// WebSocket channels and redraws its tables when an order, trade or price schedule arrives.
import { LiveClient, type Member } from '../api.ts';
import { disposeCharts, lineChart } from '../charts.ts';
import { fmt, h, hhmm, labelled, table } from '../dom.ts';

interface Order {
  id: string;
  memberId: string;
  clientOrderId: string;
  side: string;
  intervalStart: string;
  energyKwh: number;
  limitPriceEurPerKwh: number;
  remainingKwh: number;
  status: string;
}
interface Trade {
  id: string;
  intervalStart: string;
  energyKwh: number;
  priceEurPerKwh: number;
  buyerId?: string;
  sellerId?: string;
  createdAt: string;
}
interface MeterReading {
  memberId: string;
  intervalStart: string;
  importKwh: number;
  exportKwh: number;
  recordedAt: string;
}
interface Level {
  priceEurPerKwh: number;
  energyKwh: number;
}
interface Schedule {
  startUtc: string;
  intervalMinutes: number;
  locations: { locationId: string; importPriceEurPerKwh: number[]; exportPriceEurPerKwh: number[] }[];
}

const KEY_STORAGE = 'gridnest-api-key';
let socket: WebSocket | undefined;
/** Charts to draw once the sections are in the page (ECharts needs the container's size). */
const afterMount: (() => void)[] = [];

export function closeLive(): void {
  socket?.close();
  socket = undefined;
}

export function renderLogin(main: HTMLElement, onLogin: () => void): void {
  const input = h('input', {
    id: 'api-key',
    type: 'password',
    autocomplete: 'off',
    required: true,
    size: 70,
  });
  const error = h('p', { id: 'login-error', role: 'alert' });
  const form = h(
    'form',
    { id: 'login-form', 'aria-label': 'login' },
    labelled('API key', input),
    h('button', { type: 'submit', text: 'Log in' }),
    error,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const me = await new LiveClient(input.value.trim()).me();
      if (!me.member) throw new Error('an admin key has no platform; log in with a member key');
      sessionStorage.setItem(KEY_STORAGE, input.value.trim());
      onLogin();
    } catch (e) {
      error.textContent = `Login failed: ${(e as Error).message}`;
    }
  });
  main.append(h('h2', { text: 'Log in to a platform' }), form);
  input.focus();
}

export function storedClient(): LiveClient | null {
  const key = sessionStorage.getItem(KEY_STORAGE);
  return key ? new LiveClient(key) : null;
}

export function logout(): void {
  sessionStorage.removeItem(KEY_STORAGE);
  closeLive();
}

/** Render the role's view and keep it current from the stream. */
export async function renderLive(
  main: HTMLElement,
  client: LiveClient,
  setStatus: (s: string) => void,
): Promise<void> {
  const { member } = await client.me();
  if (!member) return;
  const platform = await client.get<{
    id: string;
    name: string;
    intervalMinutes: number;
    marketMode: string;
  }>(`/platforms/${member.platformId}`);
  main.append(
    h('h2', {
      text: `${roleTitle(member)} · platform ${platform.name ?? platform.id} (${platform.marketMode})`,
    }),
  );
  const sections = h('div', { id: 'live-sections' });
  main.append(sections);
  const base = `/platforms/${member.platformId}`;
  const refresh = async () => {
    const parts = await (member.role === 'prosumer'
      ? prosumerParts(client, base, member)
      : member.role === 'operator'
        ? operatorParts(client, base)
        : dsoParts(client, base, platform.intervalMinutes));
    disposeCharts();
    sections.replaceChildren(...parts);
    for (const draw of afterMount.splice(0)) draw();
    sections.dataset.updatedAt = new Date().toISOString();
  };
  await refresh();
  closeLive();
  let pending: Promise<void> | null = null;
  socket = client.stream(member.platformId, ['book', 'trades', 'prices'], (channel) => {
    if (channel === 'control') return setStatus('live: following book, trades and prices');
    pending ??= refresh().finally(() => (pending = null));
  });
  socket.addEventListener('close', () => setStatus('live stream closed'));
}

function roleTitle(member: Member): string {
  return `${member.role === 'dso' ? 'DSO' : member.role === 'operator' ? 'Operator' : 'Prosumer'} ${member.name}`;
}

const orderRows = (orders: readonly Order[]) =>
  orders.map((o) => [
    o.clientOrderId,
    o.side,
    o.intervalStart,
    fmt(o.energyKwh, 3),
    fmt(o.limitPriceEurPerKwh, 4),
    fmt(o.remainingKwh, 3),
    o.status,
  ]);
const ORDER_HEADER = [
  'client order id',
  'side',
  'interval',
  'energy (kWh)',
  'limit (EUR/kWh)',
  'open (kWh)',
  'status',
];
const tradeRows = (trades: readonly Trade[]) =>
  trades.map((t) => [
    t.intervalStart,
    t.sellerId ?? '–',
    t.buyerId ?? '–',
    fmt(t.energyKwh, 3),
    fmt(t.priceEurPerKwh, 4),
  ]);
const TRADE_HEADER = ['interval', 'seller', 'buyer', 'energy (kWh)', 'price (EUR/kWh)'];

async function ledgerParts(client: LiveClient, base: string, caption: string): Promise<HTMLElement[]> {
  const balances = await client.get<{ accounts: { accountId: string; balanceEur: number }[] }>(
    `${base}/ledger/balances`,
  );
  const transactions = await client.get<{
    transactions: {
      id: string;
      description: string;
      postings: { accountId: string; amountMicroEur: number }[];
    }[];
  }>(`${base}/ledger/transactions`);
  return [
    table(
      caption,
      ['account', 'balance (EUR, + received)'],
      balances.accounts.map((a) => [a.accountId, fmt(a.balanceEur, 2)]),
      'balances-table',
    ),
    table(
      'Settlement postings',
      ['transaction', 'description', 'postings (EUR)'],
      transactions.transactions
        .slice(0, 50)
        .map((t) => [
          t.id,
          t.description,
          t.postings.map((p) => `${p.accountId} ${fmt(p.amountMicroEur / 1e6, 4)}`).join('; '),
        ]),
      'transactions-table',
    ),
  ];
}

async function prosumerParts(client: LiveClient, base: string, member: Member): Promise<HTMLElement[]> {
  const { orders } = await client.get<{ orders: Order[] }>(`${base}/orders`);
  const { trades } = await client.get<{ trades: Trade[] }>(`${base}/trades`);
  const { readings } = await client.get<{ readings: MeterReading[] }>(`${base}/meter-readings`);
  return [
    table('My orders', ORDER_HEADER, orderRows(orders), 'orders-table'),
    table('My trades', TRADE_HEADER, tradeRows(trades), 'trades-table'),
    ...(await ledgerParts(client, base, 'My bill (ledger balance)')),
    table(
      `My meter data (${member.id}; written by the DSO or operator, billed at settlement)`,
      ['interval (UTC)', 'import kWh', 'export kWh', 'recorded'],
      readings.map((r) => [
        r.intervalStart.slice(0, 16).replace('T', ' '),
        fmt(r.importKwh, 3),
        fmt(r.exportKwh, 3),
        r.recordedAt,
      ]),
      'meter-table',
    ),
  ];
}

async function operatorParts(client: LiveClient, base: string): Promise<HTMLElement[]> {
  const { orders } = await client.get<{ orders: Order[] }>(`${base}/orders`);
  const { trades } = await client.get<{ trades: Trade[] }>(`${base}/trades`);
  const interval =
    orders.find((o) => o.status === 'open' || o.status === 'partially_filled')?.intervalStart ??
    orders[0]?.intervalStart;
  const parts: HTMLElement[] = [];
  if (interval) {
    const book = await client.get<{ bids: Level[]; asks: Level[] }>(
      `${base}/book?intervalStart=${encodeURIComponent(interval)}`,
    );
    parts.push(
      table(
        `Order book, interval ${interval}`,
        ['side', 'price (EUR/kWh)', 'energy (kWh)'],
        [
          ...book.asks.map((l) => ['ask', fmt(l.priceEurPerKwh, 4), fmt(l.energyKwh, 3)]),
          ...book.bids.map((l) => ['bid', fmt(l.priceEurPerKwh, 4), fmt(l.energyKwh, 3)]),
        ],
        'book-table',
      ),
    );
  } else parts.push(h('p', { id: 'book-table', text: 'Order book: no orders yet.' }));
  parts.push(
    table(
      'All orders',
      ['member', ...ORDER_HEADER],
      orders.map((o, i) => [o.memberId, ...orderRows(orders)[i]]),
      'orders-table',
    ),
    table('Trades', TRADE_HEADER, tradeRows(trades), 'trades-table'),
    ...(await ledgerParts(client, base, 'Settlement: ledger balances')),
  );
  return parts;
}

async function dsoParts(client: LiveClient, base: string, intervalMinutes: number): Promise<HTMLElement[]> {
  const stepMs = intervalMinutes * 60_000;
  const start = new Date(Math.floor(Date.now() / stepMs) * stepMs).toISOString();
  const parts: HTMLElement[] = [];
  const { members } = await client.get<{ members: Member[] }>(`${base}/members`);
  const { trades } = await client.get<{ trades: Trade[] }>(`${base}/trades`);
  const { schedules } = await client.get<{ schedules: { schedule: Schedule }[] }>(
    `${base}/price-schedules?intervalStart=${encodeURIComponent(start)}`,
  );
  const s = schedules[0]?.schedule;
  if (s) {
    const chart = h('div', { id: 'chart-live-prices', class: 'chart' });
    parts.push(chart);
    const x = Array.from({ length: s.locations[0]?.importPriceEurPerKwh.length ?? 0 }, (_, k) =>
      hhmm(new Date(Date.parse(s.startUtc) + k * s.intervalMinutes * 60_000).toISOString()),
    );
    afterMount.push(() =>
      lineChart(
        chart,
        'Published price schedule (EUR/kWh)',
        x,
        s.locations.flatMap((l) => [
          { name: `${l.locationId} import`, data: l.importPriceEurPerKwh, step: true },
          { name: `${l.locationId} export`, data: l.exportPriceEurPerKwh, step: true },
        ]),
        'EUR/kWh',
      ),
    );
  } else {
    parts.push(h('p', { id: 'chart-live-prices', text: `No price schedule covers ${start}.` }));
  }
  const byFeeder = new Map<string, { members: number; boughtKwh: number; soldKwh: number }>();
  const feederOf = new Map(members.map((m) => [m.id, m.feederId ?? '(no feeder)']));
  for (const m of members) {
    if (m.role !== 'prosumer') continue;
    const f = byFeeder.get(feederOf.get(m.id)!) ?? { members: 0, boughtKwh: 0, soldKwh: 0 };
    f.members += 1;
    byFeeder.set(feederOf.get(m.id)!, f);
  }
  for (const t of trades) {
    const buyer = t.buyerId && byFeeder.get(feederOf.get(t.buyerId) ?? '');
    const seller = t.sellerId && byFeeder.get(feederOf.get(t.sellerId) ?? '');
    if (buyer) buyer.boughtKwh += t.energyKwh;
    if (seller) seller.soldKwh += t.energyKwh;
  }
  parts.push(
    table(
      'Feeders: members and P2P energy (grid voltages and loading come from simulate; see gridnest view)',
      ['feeder', 'prosumers', 'bought P2P (kWh)', 'sold P2P (kWh)'],
      [...byFeeder].map(([id, f]) => [id, f.members, fmt(f.boughtKwh, 3), fmt(f.soldKwh, 3)]),
      'feeders-table',
    ),
    table('Trades', TRADE_HEADER, tradeRows(trades), 'trades-table'),
  );
  return parts;
}
