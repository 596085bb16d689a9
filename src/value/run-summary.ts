// One run's metrics and summary row from what a simulation returns: the single place `simulate` and `compare` build
// them (replicas per platform → computeRunMetrics → summariseCoordinationRun with the transport's messages and bytes
// plus the mechanism's own negotiation messages, bytes and rounds).
import type { NegotiationStats } from '../coordination/mechanism.ts';
import type { SimulationRecorder } from '../hierarchy/recorder.ts';
import type { SystemModel } from '../hierarchy/system-model.ts';
import { feederVoltageBands } from './coordination-outcome.ts';
import { type CoordinationRunSummary, summariseCoordinationRun } from './coordination-table.ts';
import { computeRunMetrics, type RunMetrics } from './metrics.ts';

/** What a run hands over: its recorder and the transport's message count and JSON bytes. */
export interface RunResultFacts {
  readonly recorder: SimulationRecorder;
  readonly messageCount: number;
  readonly messageBytes: number;
}

export interface RunSummary {
  readonly metrics: RunMetrics;
  readonly summary: CoordinationRunSummary;
}

const NO_NEGOTIATION: NegotiationStats = { rounds: 0, messages: 0, bytes: 0 };

/** Metrics (value table) and summary row (`--json` runs) of one run of `model`. */
export function summariseRun(
  model: Pick<SystemModel, 'dsos' | 'days' | 'config'>,
  name: string,
  result: RunResultFacts,
  negotiation: NegotiationStats = NO_NEGOTIATION,
  wallS = 0,
): RunSummary {
  const feeders = model.dsos.flatMap((d) => d.feeders);
  const metrics = computeRunMetrics({
    recorder: result.recorder,
    replicasByPlatform: new Map(feeders.map((f) => [f.platformId, f.replicas] as const)),
    days: model.days,
    prosumerStepMin: model.config.resolutionsMin.prosumer,
  });
  const summary = summariseCoordinationRun({
    coordination: name,
    recorder: result.recorder,
    lossesMwh: metrics.lossesMwh,
    messages: result.messageCount + negotiation.messages,
    bytes: result.messageBytes + negotiation.bytes,
    rounds: negotiation.rounds,
    wallS,
    notConvergedGates: negotiation.notConvergedGates,
    lvVoltageBands: feederVoltageBands(feeders),
  });
  return { metrics, summary };
}
