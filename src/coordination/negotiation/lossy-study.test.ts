// Negotiation over a lossy, late transport on a small system study: terminates, near centralised, ledger zero.
import { describe, expect, it } from 'vitest';
import { simulateSystem } from '../../hierarchy/engine.ts';
import { buildDefaultSystemStudy, resolveSystemStudy } from '../../studies/system/index.ts';
import { computeCoordinationOutcome, welfareGap } from '../../value/coordination-outcome.ts';
import { createCoordination } from '../index.ts';
import type { createNegotiationCoordination } from '../negotiation.ts';

describe('negotiation with 10 % message loss and delays of up to two rounds (3 households per feeder, seed 6)', async () => {
  const model = resolveSystemStudy(buildDefaultSystemStudy({ households: 3, seed: 6 }));
  const lossy = createCoordination({
    name: 'negotiation',
    lossProbability: 0.1,
    maxDelayRounds: 2,
  }) as ReturnType<typeof createNegotiationCoordination>;
  const negotiation = await simulateSystem(model, { coordination: lossy, recordProsumers: false });
  const centralised = await simulateSystem(model, {
    coordination: createCoordination('centralised'),
    recordProsumers: false,
  });

  it('terminates every gate before its round cap, with messages lost, and the DSO offered its TSO', () => {
    expect(lossy.gates).toHaveLength(1);
    const gate = lossy.gates[0];
    expect(gate.lostMessages).toBeGreaterThan(0);
    expect(gate.rounds).toBeLessThan(200);
    expect(['converged', 'not_converged']).toContain(gate.status);
    expect(gate.upstream?.answers).toBeGreaterThanOrEqual(1);
  });

  it('stays within 5 % of centralised welfare and settles a ledger that sums to exactly zero', () => {
    const w = computeCoordinationOutcome(negotiation.recorder).welfareEur;
    const ref = computeCoordinationOutcome(centralised.recorder).welfareEur;
    expect(Math.abs(welfareGap(w, ref))).toBeLessThanOrEqual(0.05);
    expect(negotiation.ledger.totalBalance()).toBe(0n);
  });
});
