// Feeder view: one platform's LV network coloured by bus voltage or branch flow, with a labelled time slider.
import { fetchFeeder, fetchSummary } from '../api.ts';
import { fmt, h, hhmm, labelled, select } from '../dom.ts';
import { feederGraph } from '../graphs.ts';

/** Diverging colour for t in [0, 1]: blue (0) → light (0.5) → red (1). */
export function divergingColour(t: number): string {
  const c = Math.min(1, Math.max(0, t));
  const lerp = (a: number, b: number, u: number) => Math.round(a + (b - a) * u);
  const [r, g, b] =
    c < 0.5
      ? [lerp(33, 240, c * 2), lerp(102, 240, c * 2), lerp(172, 240, c * 2)]
      : [lerp(240, 178, (c - 0.5) * 2), lerp(240, 24, (c - 0.5) * 2), lerp(240, 43, (c - 0.5) * 2)];
  return `rgb(${r}, ${g}, ${b})`;
}

export async function renderFeeder(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const summary = await fetchSummary();
  const choices = summary.feeders.map((f) => ({ value: f.platform, label: f.platform }));
  const platform = params.get('platform') ?? choices[0]?.value;
  if (!platform) {
    main.append(h('p', { text: 'This output has no feeders.' }));
    return;
  }
  const feeder = await fetchFeeder(platform);
  main.append(h('h2', { text: `Feeder of ${platform}` }));
  if (feeder.timeUtc.length === 0) {
    main.append(h('p', { text: 'No per-bus states in this output (re-run gridnest simulate).' }));
    return;
  }
  let colourBy = params.get('colour') === 'flow' ? 'flow' : 'voltage';
  const slider = h('input', {
    type: 'range',
    id: 'time-slider',
    min: 0,
    max: feeder.timeUtc.length - 1,
    step: 1,
    value: Math.min(
      feeder.timeUtc.length - 1,
      Number(params.get('t') ?? Math.floor(feeder.timeUtc.length / 2)),
    ),
  });
  const timeOutput = h('output', { for: 'time-slider', id: 'time-output' });
  const feederSelect = select(
    choices,
    platform,
    (value) => (location.hash = `#/feeder?platform=${encodeURIComponent(value)}`),
  );
  const colourSelect = select(
    [
      { value: 'voltage', label: 'bus voltage (p.u.)' },
      { value: 'flow', label: 'branch flow (kVA)' },
    ],
    colourBy,
    (value) => {
      colourBy = value;
      draw();
    },
    'colour-by',
  );
  const legend = h('p', { id: 'feeder-legend', class: 'legend' });
  const summaryLine = h('p', { id: 'feeder-summary', 'aria-live': 'polite' });
  main.append(
    h(
      'div',
      { class: 'controls' },
      labelled('Feeder', feederSelect),
      labelled('Colour by', colourSelect),
      labelled('Time of day (UTC)', slider),
      timeOutput,
    ),
    legend,
    summaryLine,
  );
  const graph = h('div', {
    id: 'feeder-graph',
    class: 'graph',
    role: 'img',
    'aria-label': `network of ${platform}`,
  });
  main.append(graph);
  const memberBuses = new Set(feeder.members.map((m) => m.bus));
  const cy = feederGraph(graph, feeder.busIds, feeder.branches, memberBuses);
  const allVm = feeder.vmPu.flat();
  const vmLow = Math.min(...allVm);
  const vmHigh = Math.max(...allVm);
  // The day's voltage range of this feeder spans the colour scale, so differences along the feeder stay visible.
  const centre = (vmLow + vmHigh) / 2;
  const halfSpan = Math.max(1e-4, (vmHigh - vmLow) / 2);
  const flowMax = Math.max(1e-6, ...feeder.flowFromKva.flat());
  const nodes = cy.nodes();
  const edges = cy.edges();

  function draw(): void {
    const k = Number(slider.value);
    const vm = feeder.vmPu[k];
    const flow = feeder.flowFromKva[k];
    timeOutput.textContent = `${hhmm(feeder.timeUtc[k])} UTC`;
    slider.setAttribute('aria-valuetext', `${hhmm(feeder.timeUtc[k])} UTC`);
    cy.batch(() => {
      nodes.forEach((node, i) => {
        node.data(
          'colour',
          colourBy === 'voltage' ? divergingColour(0.5 + (vm[i] - centre) / (2 * halfSpan)) : '#888',
        );
      });
      edges.forEach((edge, j) => {
        const share = flow[j] / flowMax;
        const { from, to } = feeder.branches[j];
        const vmMean = (vm[from] + vm[to]) / 2;
        edge.data(
          'colour',
          colourBy === 'flow'
            ? divergingColour(0.5 + share / 2)
            : divergingColour(0.5 + (vmMean - centre) / (2 * halfSpan)),
        );
        edge.data('width', colourBy === 'flow' ? 1 + 5 * share : 3);
      });
    });
    let iLow = 0;
    let iHigh = 0;
    vm.forEach((v, i) => {
      if (v < vm[iLow]) iLow = i;
      if (v > vm[iHigh]) iHigh = i;
    });
    let jMax = 0;
    flow.forEach((f, j) => {
      if (f > flow[jMax]) jMax = j;
    });
    legend.textContent =
      colourBy === 'voltage'
        ? `blue ${fmt(vmLow, 4)} p.u. (lowest of the day) · light ${fmt(centre, 4)} p.u. · red ${fmt(vmHigh, 4)} p.u. (highest); large squares: member buses`
        : `light 0 kVA · red ${fmt(flowMax, 1)} kVA (largest flow of the day); width ∝ flow`;
    summaryLine.textContent =
      `${hhmm(feeder.timeUtc[k])} UTC: lowest voltage ${fmt(vm[iLow], 4)} p.u. at bus ${feeder.busIds[iLow]}, ` +
      `highest ${fmt(vm[iHigh], 4)} p.u. at bus ${feeder.busIds[iHigh]}; largest branch flow ` +
      `${fmt(flow[jMax], 1)} kVA (${feeder.branches[jMax]?.id ?? '–'})`;
    summaryLine.dataset.vmDigest = vm.slice(0, 50).join(',');
  }
  slider.addEventListener('input', draw);
  draw();
}
