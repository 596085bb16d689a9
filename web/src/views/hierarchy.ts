// Hierarchy view: TSO → DSOs → platforms → prosumers as an expandable tree; a platform drills down to its members.
import { fetchSummary } from '../api.ts';
import { fmt, h, table } from '../dom.ts';

export async function renderHierarchy(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const summary = await fetchSummary();
  const { transmission, dsos } = summary.hierarchy;
  main.append(
    h('h2', { text: `System hierarchy: ${summary.study}` }),
    h('p', {
      text: `${summary.days} day(s); detailed series of the ${summary.charted} run. Expand a level, or choose a platform to see its members.`,
    }),
  );
  const open = params.get('platform');
  const tree = h('ul', { class: 'tree', id: 'hierarchy-tree' });
  const tso = h(
    'details',
    { open: true },
    h('summary', { text: `TSO ${transmission.id} (${transmission.busCount} buses)` }),
  );
  const dsoList = h('ul');
  for (const dso of dsos) {
    const households = dso.platforms.reduce((a, p) => a + p.replicas * p.members.length, 0);
    const dsoNode = h(
      'details',
      { open: true },
      h('summary', {
        text: `DSO ${dso.id} at transmission bus ${dso.transmissionBus} (${dso.mvBusCount} MV buses, ${households} households represented)`,
      }),
    );
    const platformList = h('ul');
    for (const platform of dso.platforms) {
      const link = h('a', {
        href: `#/hierarchy?platform=${encodeURIComponent(platform.id)}`,
        text: platform.id,
      });
      platformList.append(
        h(
          'li',
          {},
          link,
          ` at MV bus ${platform.parentBus}: ${platform.members.length} prosumers, stands for ${platform.replicas} feeders `,
          h('a', { href: `#/feeder?platform=${encodeURIComponent(platform.id)}`, text: '(feeder)' }),
        ),
      );
    }
    dsoNode.append(platformList);
    dsoList.append(h('li', {}, dsoNode));
  }
  tso.append(dsoList);
  tree.append(h('li', {}, tso));
  main.append(tree);

  const platform = dsos.flatMap((d) => d.platforms).find((p) => p.id === open);
  if (platform)
    main.append(
      h(
        'p',
        { id: 'platform-links' },
        `${platform.id}: `,
        ...['feeder', 'trades', 'battery', 'prices'].flatMap((view, i) => [
          i > 0 ? ' · ' : '',
          h('a', { href: `#/${view}?platform=${encodeURIComponent(platform.id)}`, text: view }),
        ]),
      ),
      table(
        `Prosumers of ${platform.id}`,
        ['prosumer', 'bus', 'PV (kWp)', 'battery (kWh)', 'bill over the run (EUR)'],
        platform.members.map((m) => [m.id, m.bus, fmt(m.pvKwp, 1), fmt(m.batteryKwh, 1), fmt(m.billEur, 2)]),
        'members-table',
      ),
    );
}
