// The system's hierarchy and each simulated feeder's per-bus voltages and branch flows, as one JSON document
// (`grid.json` of `gridnest simulate`) for the dashboard's hierarchy and feeder views.
import type { SimulationRecorder } from '../hierarchy/recorder.ts';
import type { SystemModel } from '../hierarchy/system-model.ts';

/** One feeder's topology and its states per platform interval; arrays follow `busIds` / `branches`. */
export interface FeederSnapshot {
  readonly platform: string;
  readonly dso: string;
  readonly networkId: string;
  readonly parentBus: string;
  readonly replicas: number;
  readonly busIds: readonly string[];
  /** [fromBusIndex, toBusIndex] into `busIds`, with the branch id. */
  readonly branches: readonly { readonly id: string; readonly from: number; readonly to: number }[];
  readonly members: readonly { readonly id: string; readonly bus: string }[];
  readonly timeUtc: readonly string[];
  /** vmPu[t][bus] (p.u., 5 decimals) and flowFromKva[t][branch] (kVA, 2 decimals, one simulated feeder). */
  readonly vmPu: readonly (readonly number[])[];
  readonly flowFromKva: readonly (readonly number[])[];
}

export interface GridSnapshot {
  readonly transmission: { readonly id: string; readonly busIds: readonly string[] };
  readonly dsos: readonly {
    readonly id: string;
    readonly transmissionBus: string;
    readonly busIds: readonly string[];
    readonly branches: readonly { readonly id: string; readonly fromBus: string; readonly toBus: string }[];
    readonly platforms: readonly string[];
  }[];
  readonly feeders: readonly FeederSnapshot[];
}

const round = (digits: number) => {
  const scale = 10 ** digits;
  return (x: number) => Math.round(x * scale) / scale;
};

/** Build the snapshot; feeder states come from a recorder run with `recordFeederStates` (else they are empty). */
export function buildGridSnapshot(model: SystemModel, recorder: SimulationRecorder): GridSnapshot {
  const toVm = round(5);
  const toKva = round(2);
  const statesByPlatform = new Map<string, SimulationRecorder['feederStates']>();
  for (const row of recorder.feederStates) {
    const rows = statesByPlatform.get(row.platform);
    if (rows) rows.push(row);
    else statesByPlatform.set(row.platform, [row]);
  }
  return {
    transmission: { id: model.transmissionId, busIds: model.transmission.buses.map((b) => String(b.id)) },
    dsos: model.dsos.map((d) => ({
      id: d.id,
      transmissionBus: String(d.transmissionBus),
      busIds: d.network.buses.map((b) => String(b.id)),
      branches: d.network.branches.map((b) => ({
        id: String(b.id),
        fromBus: String(b.fromBus),
        toBus: String(b.toBus),
      })),
      platforms: d.feeders.map((f) => f.platformId),
    })),
    feeders: model.dsos.flatMap((d) =>
      d.feeders.map((f): FeederSnapshot => {
        const topology = recorder.feederTopologies.get(f.platformId) ?? {
          busIds: f.network.buses.map((b) => String(b.id)),
          branches: [],
        };
        const busIndex = new Map(topology.busIds.map((id, i) => [id, i]));
        const states = statesByPlatform.get(f.platformId) ?? [];
        return {
          platform: f.platformId,
          dso: d.id,
          networkId: f.networkId,
          parentBus: String(f.parentBus),
          replicas: f.replicas,
          busIds: topology.busIds,
          branches: topology.branches.map((b) => ({
            id: b.id,
            from: busIndex.get(b.fromBus)!,
            to: busIndex.get(b.toBus)!,
          })),
          members: f.members.map((m) => ({ id: m.id, bus: String(m.bus) })),
          timeUtc: states.map((s) => s.timeUtc),
          vmPu: states.map((s) => Array.from(s.vmPu, toVm)),
          flowFromKva: states.map((s) => Array.from(s.flowFromKva, toKva)),
        };
      }),
    ),
  };
}
