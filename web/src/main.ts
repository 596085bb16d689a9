// Dashboard entry: asks the server which mode it runs in (view of a simulate folder, or the live service) and
// routes `#/view?params` to the views; the nav is a list of links, every control is labelled.
import './style.css';
import { fetchMode } from './api.ts';
import { disposeCharts, resizeCharts } from './charts.ts';
import { h } from './dom.ts';
import { disposeGraphs } from './graphs.ts';
import { closeLive, logout, renderLive, renderLogin, storedClient } from './live/live-views.ts';
import { renderBattery } from './views/battery.ts';
import { renderFeeder } from './views/feeder.ts';
import { renderHierarchy } from './views/hierarchy.ts';
import { renderPrices } from './views/prices.ts';
import { renderTrades } from './views/trades.ts';
import { renderComparison, renderValue } from './views/value.ts';

type Render = (main: HTMLElement, params: URLSearchParams) => Promise<void>;

const VIEW_ROUTES: readonly { id: string; label: string; render: Render }[] = [
  { id: 'hierarchy', label: 'Hierarchy', render: renderHierarchy },
  { id: 'feeder', label: 'Feeder', render: renderFeeder },
  { id: 'prices', label: 'Prices', render: renderPrices },
  { id: 'trades', label: 'Trades', render: renderTrades },
  { id: 'battery', label: 'Batteries', render: renderBattery },
  { id: 'value', label: 'Value', render: renderValue },
  { id: 'comparison', label: 'Comparison', render: renderComparison },
];

const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;
const status = document.getElementById('status')!;
const setStatus = (text: string) => {
  status.textContent = text;
};

function parseHash(): { id: string; params: URLSearchParams } {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  return { id: path, params: new URLSearchParams(query ?? '') };
}

async function show(render: () => Promise<void>, id: string): Promise<void> {
  disposeCharts();
  disposeGraphs();
  main.replaceChildren();
  main.dataset.view = id;
  delete main.dataset.ready;
  for (const link of nav.querySelectorAll('a'))
    link.toggleAttribute('aria-current', link.dataset.view === id);
  try {
    await render();
  } catch (error) {
    main.append(
      h('p', {
        role: 'alert',
        class: 'error',
        text: `Could not show this view: ${(error as Error).message}`,
      }),
    );
  }
  main.dataset.ready = 'true';
}

function startView(): void {
  nav.replaceChildren(
    h(
      'ul',
      {},
      ...VIEW_ROUTES.map((r) => h('li', {}, h('a', { href: `#/${r.id}`, 'data-view': r.id, text: r.label }))),
    ),
  );
  const route = () => {
    const { id, params } = parseHash();
    const view = VIEW_ROUTES.find((r) => r.id === id) ?? VIEW_ROUTES[0];
    void show(() => view.render(main, params), view.id);
  };
  window.addEventListener('hashchange', route);
  route();
}

function startLive(): void {
  const route = () => {
    const client = storedClient();
    nav.replaceChildren();
    if (!client) {
      closeLive();
      void show(async () => renderLogin(main, route), 'login');
      return;
    }
    const button = h('button', { type: 'button', id: 'logout', text: 'Log out' });
    button.addEventListener('click', () => {
      logout();
      route();
    });
    nav.append(button);
    void show(() => renderLive(main, client, setStatus), 'live');
  };
  route();
}

window.addEventListener('resize', resizeCharts);
fetchMode().then(
  ({ mode }) => (mode === 'live' ? startLive() : startView()),
  (error) =>
    main.append(h('p', { role: 'alert', text: `Cannot reach the server: ${(error as Error).message}` })),
);
