// One negotiation gate: a DSO and its platforms exchange offers and counter-offers through a Transport, round by round.
//
// Every controller is its own object holding only its own data; they share nothing but the transport (an in-process
// one here, wrapped by the seeded unreliable transport when loss or delay is asked for). A round lasts
// `roundSeconds` of simulated time: the clock advances (releasing delayed messages), platforms act on the latest
// counter-offer they hold, then the DSO on the latest offers. The gate ends when the DSO agrees (stopping rules),
// at the round cap, or at the gate deadline — then it closes on its current state.
import { createInProcessTransport } from '../../transport/in-process-transport.ts';
import type { Transport } from '../../transport/transport.ts';
import { createUnreliableTransport } from '../../transport/unreliable-transport.ts';
import { DsoNegotiator, type NegotiationDsoData, type StoppingRules } from './dso-agent.ts';
import { type NegotiationPlatformData, PlatformNegotiator } from './platform-agent.ts';
import { type TsoNegotiationData, TsoNegotiator } from './tso-agent.ts';

export interface GateOptions extends StoppingRules {
  readonly maxRounds: number;
  readonly roundSeconds: number;
  /** Time from the gate opening until it must close (simulated minutes). */
  readonly gateDeadlineMinutes: number;
  readonly lossProbability: number;
  readonly maxDelayRounds: number;
  readonly seed: number;
}

export interface GateResult {
  /** `converged` when the DSO agreed by the stopping rules; `not_converged` when it closed at the cap/deadline. */
  readonly status: 'converged' | 'not_converged';
  readonly rounds: number;
  readonly messages: number;
  readonly bytes: number;
  readonly lostMessages: number;
  /** Per feeder (order of `dso.feeders`), DSO step: accepted net position (kW per replica), price adder (EUR/MWh), band (±kW). */
  readonly acceptedKw: Float64Array[];
  readonly priceEurPerMwh: Float64Array[];
  readonly bandKw: Float64Array[];
  /**
   * Per feeder, DSO step: the committed range [lo', hi'] of its net position (kW per replica); −∞ / +∞ when the
   * gate closed before the DSO had heard from every feeder (no committed range: the platforms plan freely).
   */
  readonly lowKw: Float64Array[];
  readonly highKw: Float64Array[];
  /** The DSO's aggregate over its feeders × replicas: accepted total (kW) and its band (±kW, 90 %). */
  readonly aggregateKw: Float64Array;
  readonly aggregateBandKw: Float64Array;
  /** DSO ↔ TSO (when a TSO took part), TSO step: answers received, last accepted quantity (kW, GSP), price adder
   * (EUR/MWh on the wholesale price), committed band (±kW) and the import limit the DSO kept (kW, +∞: none). */
  readonly upstream?: {
    readonly answers: number;
    readonly acceptedKw: readonly number[];
    readonly priceEurPerMwh: readonly number[];
    readonly bandKw: readonly number[];
    readonly limitKw: Float64Array;
    readonly failedHours: number;
  };
}

/** The TSO's address on a gate's transport (`NegotiationDsoData.upstream.address`). */
export const TSO_NEGOTIATION_ADDRESS = 'negotiation/tso';

/**
 * Run one gate from `openUtc`; `dso.feeders[j]` and `platforms[j]` are the two ends of one feeder; with `tso` (and
 * `dso.upstream`) the TSO takes part at its own step.
 */
export async function runNegotiationGate(
  dso: NegotiationDsoData,
  platforms: readonly NegotiationPlatformData[],
  options: GateOptions,
  openUtc: string,
  tso?: TsoNegotiationData,
): Promise<GateResult> {
  let messages = 0;
  let bytes = 0;
  const reliable = createInProcessTransport({
    onDeliver: (_, size) => {
      messages++;
      bytes += size;
    },
  });
  const isUnreliable = options.lossProbability > 0 || options.maxDelayRounds > 0;
  const unreliable = isUnreliable
    ? createUnreliableTransport(reliable, {
        lossProbability: options.lossProbability,
        maxDelaySteps: options.maxDelayRounds,
        stepMs: options.roundSeconds * 1000,
        seed: options.seed,
      })
    : undefined;
  const transport: Transport = unreliable ?? reliable;
  const dsoAddress = 'negotiation/dso';
  const negotiator = new DsoNegotiator(transport, dsoAddress, dso, options);
  const agents = platforms.map(
    (p, j) =>
      new PlatformNegotiator(transport, dso.feeders[j].address, dsoAddress, p, options.resendAfterRounds),
  );
  const tsoAgent =
    tso && dso.upstream ? new TsoNegotiator(transport, dso.upstream.address, dsoAddress, tso) : undefined;
  const openMs = Date.parse(openUtc);
  const lastRound = Math.max(
    1,
    Math.min(options.maxRounds, Math.floor((options.gateDeadlineMinutes * 60) / options.roundSeconds)),
  );
  let round = 0;
  while (round < lastRound && negotiator.currentStatus === 'negotiating') {
    round++;
    transport.setClock(new Date(openMs + round * options.roundSeconds * 1000).toISOString());
    await transport.drain();
    for (const a of agents) a.act(round);
    await transport.drain();
    negotiator.act(round, round === lastRound);
    await transport.drain();
    await tsoAgent?.act(round);
    await transport.drain();
  }
  const o = negotiator.outcome;
  const n = dso.index.length;
  const orZero = (v: Float64Array | undefined) => v ?? new Float64Array(n);
  return {
    status: o.status === 'agreed' ? 'converged' : 'not_converged',
    rounds: round,
    messages,
    bytes,
    lostMessages: unreliable?.counts().lost ?? 0,
    acceptedKw: o.acceptedKw.map(orZero),
    priceEurPerMwh: o.priceEurPerMwh.map(orZero),
    bandKw: o.bandKw.map(orZero),
    lowKw: o.lowKw.map((v) => v ?? new Float64Array(n).fill(Number.NEGATIVE_INFINITY)),
    highKw: o.highKw.map((v) => v ?? new Float64Array(n).fill(Number.POSITIVE_INFINITY)),
    aggregateKw: orZero(o.aggregate?.meanKw),
    aggregateBandKw: orZero(o.aggregate?.bandKw),
    upstream: upstreamOf(negotiator.upstream, tsoAgent),
  };
}

function upstreamOf(link: DsoNegotiator['upstream'], tso: TsoNegotiator | undefined): GateResult['upstream'] {
  if (!link || !tso) return undefined;
  return {
    answers: link.answers,
    acceptedKw: link.latest?.acceptedKw ?? [],
    priceEurPerMwh: link.latest?.priceEurPerMwh ?? [],
    bandKw: link.latest?.bandKw ?? [],
    limitKw: link.upperKw,
    failedHours: tso.failedHours,
  };
}
