// Battery view: stored energy over the day, the platform total and each member's battery.
import { fetchSummary } from '../api.ts';
import { lineChart } from '../charts.ts';
import { h, hhmm, platformControls } from '../dom.ts';

export async function renderBattery(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const summary = await fetchSummary();
  const ids = Object.keys(summary.battery.platforms);
  const platform = params.get('platform') ?? ids[0];
  main.append(h('h2', { text: 'Battery state of charge' }), platformControls('battery', ids, platform));
  const x = summary.battery.timeUtc.map(hhmm);
  const totalChart = h('div', { id: 'chart-battery-total', class: 'chart' });
  const memberChart = h('div', { id: 'chart-battery-members', class: 'chart' });
  main.append(totalChart, memberChart);
  lineChart(
    totalChart,
    `${platform}: stored battery energy, all members (kWh)`,
    x,
    [{ name: 'Σ stored energy', data: summary.battery.platforms[platform] ?? [] }],
    'kWh',
  );
  const members = summary.hierarchy.dsos
    .flatMap((d) => d.platforms)
    .find((p) => p.id === platform)
    ?.members.filter((m) => summary.battery.members[m.id]);
  lineChart(
    memberChart,
    `${platform}: stored energy per battery owner (kWh)`,
    x,
    (members ?? []).map((m) => ({
      name: `${m.id} (${m.batteryKwh} kWh)`,
      data: summary.battery.members[m.id],
    })),
    'kWh',
  );
}
