// One LV feeder solved three-phase interval by interval (simulation): members' consumption on their buses' phases,
// warm-started solves on a once-factorised network; head power, losses, voltage extremes, VUF, transformer loading.
import type { ThreePhaseNetwork } from './model.ts';
import {
  type PreparedThreePhasePowerFlow,
  prepareThreePhasePowerFlow,
} from './solve-three-phase-power-flow.ts';
import { placeLoadSeries } from './three-phase-time-series.ts';
import { createVoltageScan, scanVoltages, type VoltageScan } from './voltage-scan.ts';

export interface ThreePhaseFeederState {
  readonly status: string;
  /** Power from the source into the feeder (transformer HV side), kW / kvar. */
  readonly headKw: number;
  readonly headKvar: number;
  readonly lossesKw: number;
  readonly vmMinPu: number;
  readonly vmMaxPu: number;
  readonly vufMaxPct: number;
  /** |S| at the source over the first transformer's kVA, %. */
  readonly transformerLoadingPercent: number;
}

export class ThreePhaseFeeder {
  private readonly prepared: PreparedThreePhasePowerFlow;
  private readonly scan: VoltageScan;
  private readonly scales: Float64Array;
  private readonly transformerKva: number;
  private solved = false;

  /** `buses[i]` is the bus of member i (consumption placed on the phase of the network's load there). */
  constructor(network: ThreePhaseNetwork, buses: readonly string[]) {
    const placed = placeLoadSeries(
      network,
      buses.map((bus) => ({ bus, pKw: [], qKvar: [] })),
    );
    this.prepared = prepareThreePhasePowerFlow(placed.network, { tolerance: 1e-6 });
    this.scan = createVoltageScan(placed.network, this.prepared.nodes);
    this.scales = new Float64Array(2 * buses.length);
    this.transformerKva = network.transformers[0]?.windings[0].kva ?? 0;
  }

  /** Solve with member i consuming pKw[i] kW and qKvar[i] kvar (negative when exporting). */
  solve(pKw: ArrayLike<number>, qKvar: ArrayLike<number>): ThreePhaseFeederState {
    for (let i = 0; i < pKw.length; i++) {
      this.scales[2 * i] = pKw[i];
      this.scales[2 * i + 1] = qKvar[i];
    }
    const r = this.prepared.solve(this.scales, { warmStart: this.solved });
    this.solved = true;
    const v = scanVoltages(this.scan, r);
    const sKva = Math.hypot(r.sourcePW, r.sourceQVar) / 1000;
    return {
      status: r.status,
      headKw: r.sourcePW / 1000,
      headKvar: r.sourceQVar / 1000,
      lossesKw: r.lossesW / 1000,
      vmMinPu: v.vmMinPu,
      vmMaxPu: v.vmMaxPu,
      vufMaxPct: v.vufMaxPct,
      transformerLoadingPercent: this.transformerKva > 0 ? (100 * sKva) / this.transformerKva : 0,
    };
  }
}
