// Report facts describing a system model: the study, the transmission case and each DSO with its platforms.
import type { SystemModel } from '../../hierarchy/system-model.ts';

export function systemModelFacts(model: SystemModel): [string, string][] {
  return [
    [
      'study',
      `${model.scenario.name} (${model.days} day(s) from ${model.firstDayUtc}, seed ${model.scenario.seeds.master})`,
    ],
    [
      'transmission',
      `${model.transmissionId}: ${model.transmission.buses.length} buses, ${model.transmission.loads.reduce((a, l) => a + l.pMw, 0).toFixed(1)} MW case load`,
    ],
    ...model.dsos.map((d): [string, string] => [
      `DSO ${d.id}`,
      `at bus ${d.transmissionBus}; ${d.feeders.length} simulated LV platforms standing for ${d.feeders.reduce((a, f) => a + f.replicas, 0)} feeders (${d.feeders.reduce((a, f) => a + f.replicas * f.members.length, 0)} households)`,
    ]),
  ];
}
