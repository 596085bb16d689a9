// Multi-timescale engine: day-ahead, intraday, real-time and settlement stages of every controller on one UTC clock.
import type { CoordinationMechanism } from '../coordination/mechanism.ts';
import { Ledger } from '../ledger/ledger.ts';
import { deriveSeed } from '../numeric/random.ts';
import { createInProcessTransport } from '../transport/in-process-transport.ts';
import type { MessageBody, StageName } from '../transport/messages.ts';
import type { Transport } from '../transport/transport.ts';
import { DsoController } from './dso-controller.ts';
import { loadPlan, PLANNING_PHASE, type PlanToLoad } from './plan-stage.ts';
import { PlatformController } from './platform-controller.ts';
import { ProsumerPool } from './prosumer-pool.ts';
import { ProsumerScheduler } from './prosumer-scheduler.ts';
import { SimulationRecorder } from './recorder.ts';
import { dayIndex, ProsumerResolver, type SystemModel } from './system-model.ts';
import { transmissionLoadsMw } from './transmission-loads.ts';
import { TsoController } from './tso-controller.ts';

export interface SimulateOptions {
  readonly coordination: CoordinationMechanism;
  /** Baseline run: no energy management, no P2P trading (value metrics compare against it). */
  readonly isBaseline?: boolean;
  /** Worker threads for prosumer scheduling (0 = this thread). */
  readonly workers?: number;
  /** Keep per-prosumer rows at the prosumer step (default true). */
  readonly recordProsumers?: boolean;
  /** Keep per-bus voltages and branch flows of every feeder interval (default false). */
  readonly recordFeederStates?: boolean;
  /** A transport to run on (default: a new in-process transport). */
  readonly transport?: Transport;
  /** Recorder and ledger to fill (default: new ones; scale runs pass lean ones, see bench/simulation-scale). */
  readonly recorder?: SimulationRecorder;
  readonly ledger?: Ledger;
  readonly onProgress?: (done: number, total: number, label: string) => void;
  /** A network plan to load in the planning stage, before the first operation day (plan-stage.ts). */
  readonly plan?: PlanToLoad;
}

export interface SimulationResult {
  readonly coordination: string;
  readonly isBaseline: boolean;
  readonly recorder: SimulationRecorder;
  readonly ledger: Ledger;
  readonly messageCount: number;
  readonly messageBytes: number;
  readonly prosumerCount: number;
  readonly failedSchedules: number;
}

type Phase = {
  readonly stage: StageName;
  readonly phase: string;
  readonly to: 'tso' | 'dsos' | 'platforms' | 'pools';
  readonly atH: number;
  readonly flush?: boolean;
};

/**
 * The stage plan of one delivery day D, with the simulated clock time (hours from D 00:00 UTC) of each phase,
 * after the planning stage (`PLANNING_PHASE`, once before the first day). Day-ahead: price forecast, bids from the
 * bottom up, TSO clearing with mediation, final plans and P2P clearing; intraday: actual draws, hourly continuous
 * trading until gate closure, the updated positions up and the TSO re-dispatch; real time: prosumer control and
 * the platforms' balancing dispatch, feeder and MV power flows, TSO balancing; settlement the next morning (P2P,
 * intraday, balancing and imbalance, retail, wholesale).
 */
export const STAGE_PLAN: readonly Phase[] = [
  { stage: 'day-ahead', phase: 'forecast', to: 'tso', atH: -14 },
  { stage: 'day-ahead', phase: 'bid', to: 'pools', atH: -13.5, flush: true },
  { stage: 'day-ahead', phase: 'bid-send', to: 'pools', atH: -13 },
  { stage: 'day-ahead', phase: 'clear', to: 'tso', atH: -12 },
  { stage: 'day-ahead', phase: 'final', to: 'tso', atH: -11.5 },
  { stage: 'day-ahead', phase: 'plan', to: 'pools', atH: -11, flush: true },
  { stage: 'day-ahead', phase: 'plan-send', to: 'pools', atH: -10.5 },
  { stage: 'day-ahead', phase: 'clear', to: 'platforms', atH: -10 },
  { stage: 'intraday', phase: 'reforecast', to: 'pools', atH: -1 },
  { stage: 'real-time', phase: 'operate', to: 'pools', atH: 0 },
  { stage: 'settlement', phase: 'settle', to: 'platforms', atH: 30 },
  { stage: 'settlement', phase: 'settle', to: 'dsos', atH: 30 },
  { stage: 'settlement', phase: 'settle', to: 'tso', atH: 30 },
];

/** What the controllers of a (part of a) system share: mechanism, recorder, ledger, LP scheduler. */
export interface ControllerContext {
  readonly coordination: CoordinationMechanism;
  readonly isBaseline: boolean;
  readonly recorder: SimulationRecorder;
  readonly ledger: Ledger;
  readonly scheduler: ProsumerScheduler;
}

/** Which controllers a process runs (default all): the TSO and/or the DSOs of these indexes with everything below. */
export interface ControllerOwnership {
  readonly tso: boolean;
  readonly dso: (index: number) => boolean;
}

/** Controller addresses, e.g. `dso/mv-1`, `platform/lv-3`, `pool/lv-3`. */
export const ADDRESSES = {
  tso: 'tso',
  dso: (id: string) => `dso/${id}`,
  platform: (id: string) => `platform/${id}`,
  pool: (id: string) => `pool/${id}`,
};

/**
 * Create the controllers on `transport` (the owned part of the tree; seeds are those of the whole tree) and
 * return the addresses each phase target reaches.
 */
export function wireControllers(
  model: SystemModel,
  transport: Transport,
  ctx: ControllerContext,
  owns: ControllerOwnership = { tso: true, dso: () => true },
): Record<Phase['to'], string[]> {
  const { recorder, ledger, scheduler, isBaseline } = ctx;
  const resolver = new ProsumerResolver(model.scenario, model.profiles);
  const config = model.config;
  const seed = model.scenario.seeds.master;
  const firstDayMs = Date.parse(`${model.firstDayUtc}T00:00:00Z`);
  const addresses = ADDRESSES;
  if (owns.tso)
    new TsoController(transport, {
      address: addresses.tso,
      model,
      dsoAddress: addresses.dso,
      config,
      recorder,
      ledger,
    });
  const dsoAddresses: string[] = [];
  const platformAddresses: string[] = [];
  const poolAddresses: string[] = [];
  let ordinal = 0;
  model.dsos.forEach((dso, d) => {
    if (!owns.dso(d)) {
      ordinal += dso.feeders.length;
      return;
    }
    const platformMap = new Map(dso.feeders.map((f) => [f.platformId, addresses.platform(f.platformId)]));
    dsoAddresses.push(addresses.dso(dso.id));
    new DsoController(transport, {
      address: addresses.dso(dso.id),
      tsoAddress: addresses.tso,
      platformAddresses: platformMap,
      dso,
      coordination: ctx.coordination,
      config,
      recorder,
      ledger,
      resolver,
      firstDayMs,
      seed: deriveSeed(seed, 500 + d),
      transmission: { network: model.transmission, loadsMw: (h) => transmissionLoadsMw(model, h, dso.id) },
    });
    for (const feeder of dso.feeders) {
      platformAddresses.push(addresses.platform(feeder.platformId));
      poolAddresses.push(addresses.pool(feeder.platformId));
      new PlatformController(transport, {
        address: addresses.platform(feeder.platformId),
        poolAddress: addresses.pool(feeder.platformId),
        dsoAddress: addresses.dso(dso.id),
        feeder,
        config,
        recorder,
        ledger,
        isBaseline,
        firstDayMs,
      });
      new ProsumerPool(transport, {
        address: addresses.pool(feeder.platformId),
        platformAddress: addresses.platform(feeder.platformId),
        platformId: feeder.platformId,
        members: feeder.members,
        resolver,
        scheduler,
        config,
        seed: deriveSeed(seed, 1000 + ordinal++),
        regionalSeed: deriveSeed(seed, 7 + d),
        dayIndex: (day, stepMin) => dayIndex(model, day, stepMin),
        recorder,
        isBaseline,
      });
    }
  });
  return {
    tso: owns.tso ? [addresses.tso] : [],
    dsos: dsoAddresses,
    platforms: platformAddresses,
    pools: poolAddresses,
  };
}

/**
 * Run the system simulation: the planning stage once (`PLANNING_PHASE`: load `options.plan` into the networks),
 * then `STAGE_PLAN` day by day. Deterministic for a given model (seeded draws, ordered messages).
 */
export async function simulateSystem(
  plannedModel: SystemModel,
  options: SimulateOptions,
): Promise<SimulationResult> {
  let messageCount = 0;
  let messageBytes = 0;
  const transport =
    options.transport ??
    createInProcessTransport({
      onDeliver: (_, bytes) => {
        messageCount++;
        messageBytes += bytes;
      },
    });
  const recorder =
    options.recorder ??
    new SimulationRecorder(options.recordProsumers ?? true, {
      recordFeederStates: options.recordFeederStates,
    });
  const ledger = options.ledger ?? new Ledger();
  const planning = options.plan ? loadPlan(plannedModel, options.plan) : undefined;
  const model = planning?.model ?? plannedModel;
  recorder.planning.push(...(planning?.rows ?? []));
  const isBaseline = options.isBaseline ?? false;
  const scheduler = new ProsumerScheduler({ workers: options.workers ?? 0, useBaseline: isBaseline });
  const targets = wireControllers(model, transport, {
    coordination: options.coordination,
    isBaseline,
    recorder,
    ledger,
    scheduler,
  });
  const firstDayMs = Date.parse(`${model.firstDayUtc}T00:00:00Z`);
  const total = 1 + model.days * STAGE_PLAN.length;
  let done = 0;
  options.onProgress?.(++done, total, `${PLANNING_PHASE.stage} ${PLANNING_PHASE.phase}`);
  for (let day = 0; day < model.days; day++) {
    const dayStartMs = firstDayMs + day * 86_400_000;
    const dayStartUtc = new Date(dayStartMs).toISOString();
    for (const phase of STAGE_PLAN) {
      transport.setClock(new Date(dayStartMs + phase.atH * 3_600_000).toISOString());
      const body: MessageBody = { type: 'stage', stage: phase.stage, phase: phase.phase, dayStartUtc };
      for (const to of targets[phase.to]) transport.send('engine', to, body);
      await transport.drain();
      if (phase.flush) {
        await scheduler.flush();
        await transport.drain();
      }
      options.onProgress?.(++done, total, `day ${day + 1}/${model.days} ${phase.stage} ${phase.phase}`);
    }
  }
  return {
    coordination: isBaseline ? 'baseline' : options.coordination.name,
    isBaseline,
    recorder,
    ledger,
    messageCount,
    messageBytes,
    prosumerCount: model.dsos.reduce((a, d) => a + d.feeders.reduce((b, f) => b + f.members.length, 0), 0),
    failedSchedules: scheduler.failedCount,
  };
}
