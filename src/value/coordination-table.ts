// One row per coordination run (the `simulate --json` runs table) and the report rows that compare them side by side.
import type { SimulationRecorder } from '../hierarchy/recorder.ts';
import { computeCoordinationOutcome, type VoltageBands, welfareGap } from './coordination-outcome.ts';
import type { ValueRow } from './metrics.ts';

/** What `simulate --json` prints per run (units in the names; counts are simulated element-intervals). */
export interface CoordinationRunSummary {
  readonly coordination: string;
  readonly welfareEur: number;
  readonly lvVoltageViolationIntervals: number;
  readonly lvThermalViolationIntervals: number;
  readonly mvViolationIntervals: number;
  /**
   * LV voltage + LV thermal + MV violation intervals. The welfare gap to centralised is a bound only among runs with
   * no more of these than centralised: a run that breaks more limits can buy energy the limits forbid (value/README).
   */
  readonly violationIntervals: number;
  readonly lossesMwh: number;
  /** Messages and JSON bytes delivered by the transport (controllers plus the mechanism's own negotiation). */
  readonly messages: number;
  readonly bytes: number;
  /** Negotiation rounds over all gates (0 for a mechanism that does not iterate). */
  readonly rounds: number;
  readonly wallS: number;
  /** Money moved between platforms by the deviation settlement (EUR, Σ of positive net receipts). */
  readonly interPlatformSettlementEur: number;
  /** Negotiation only: `converged` when every gate agreed, else `not_converged` (a gate closed at cap/deadline). */
  readonly negotiationStatus?: 'converged' | 'not_converged';
}

export interface RunFacts {
  readonly coordination: string;
  readonly recorder: SimulationRecorder;
  readonly lossesMwh: number;
  readonly messages: number;
  readonly bytes: number;
  readonly rounds: number;
  readonly wallS: number;
  readonly notConvergedGates?: number;
  /** Each LV feeder's voltage band (its network's bus limits); default 0.90–1.10 p.u. */
  readonly lvVoltageBands?: VoltageBands;
}

/** The summary row of one run: welfare and violations from its recorded outcomes (coordination-outcome.ts). */
export function summariseCoordinationRun(run: RunFacts): CoordinationRunSummary {
  const o = computeCoordinationOutcome(run.recorder, undefined, run.lvVoltageBands);
  return {
    coordination: run.coordination,
    welfareEur: o.welfareEur,
    lvVoltageViolationIntervals: o.lvVoltageViolationIntervals,
    lvThermalViolationIntervals: o.lvThermalViolationIntervals,
    mvViolationIntervals: o.mvViolationIntervals,
    violationIntervals:
      o.lvVoltageViolationIntervals + o.lvThermalViolationIntervals + o.mvViolationIntervals,
    lossesMwh: run.lossesMwh,
    messages: run.messages,
    bytes: run.bytes,
    rounds: run.rounds,
    wallS: run.wallS,
    interPlatformSettlementEur: run.recorder.interPlatform.reduce((a, r) => a + Math.max(0, r.netEur), 0),
    ...(run.notConvergedGates !== undefined && {
      negotiationStatus: run.notConvergedGates > 0 ? ('not_converged' as const) : ('converged' as const),
    }),
  };
}

/** Reference run of the welfare gap. */
export const WELFARE_REFERENCE_RUN = 'centralised';

/**
 * Report rows comparing the coordinations (keyed by run name, like the value table): welfare, its gap to
 * `centralised` (when that run is present), violation intervals, messages and bytes.
 */
export function coordinationValueRows(runs: readonly CoordinationRunSummary[]): ValueRow[] {
  const reference = runs.find((r) => r.coordination === WELFARE_REFERENCE_RUN);
  const row = (
    metric: string,
    unit: string,
    pick: (r: CoordinationRunSummary) => number,
    isHigherBetter: boolean,
    definition: string,
  ): ValueRow => ({
    category: 'coordination',
    metric,
    unit,
    values: Object.fromEntries(runs.map((r) => [r.coordination, pick(r)])),
    isHigherBetter,
    definition,
  });
  return [
    row(
      'welfare',
      'EUR',
      (r) => r.welfareEur,
      true,
      'Minus the generation cost of the real-time transmission dispatch that served the realised system load (losses and every prosumer’s realised behaviour included), summed over hours; the same definition for every run (value/README.md).',
    ),
    ...(reference
      ? [
          row(
            'welfare gap to centralised',
            '%',
            (r) => 100 * welfareGap(r.welfareEur, reference.welfareEur),
            false,
            '(W_centralised − W) / |W_centralised|: how much welfare the run loses against the centralised whole-system reference. A bound only among runs with no more violation intervals than centralised: a negative gap means the run bought energy the limits forbid (see the violation rows).',
          ),
        ]
      : []),
    row(
      'LV voltage violation intervals',
      'count',
      (r) => r.lvVoltageViolationIntervals,
      false,
      'Simulated LV feeder intervals whose real-time power flow has a bus voltage outside the feeder’s band (its network’s bus limits, default [0.90, 1.10] p.u.).',
    ),
    row(
      'LV thermal violation intervals',
      'count',
      (r) => r.lvThermalViolationIntervals,
      false,
      'Simulated LV feeder intervals whose transformer is loaded above 100 % of its rating.',
    ),
    row(
      'MV violation intervals',
      'count',
      (r) => r.mvViolationIntervals,
      false,
      'MV network intervals with a bus voltage outside [0.90, 1.10] p.u. or a branch above 100 % of its rating.',
    ),
    row(
      'inter-platform settlement',
      'EUR',
      (r) => r.interPlatformSettlementEur,
      false,
      'Money moved between platforms after delivery: each pays 50 EUR/MWh on its deviation from its committed day-ahead position, pooled and returned pro rata to committed energy (hierarchy/inter-platform-settlement.ts); the sum of positive net receipts.',
    ),
    row('messages', 'count', (r) => r.messages, false, 'Messages delivered between controllers.'),
    row('bytes', 'count', (r) => r.bytes, false, 'JSON bytes of those messages.'),
  ];
}
