// Conformance suite every coordination mechanism passes, built by the factory from its config and run in a small
// system simulation: ledger sums to zero, energy balance at every level, same seed → same result, valid schedules.
import { describe, expect, it } from 'vitest';
import { type PriceSchedule, priceScheduleSchema } from '../core/price-schedule.ts';
import { simulateSystem } from '../hierarchy/engine.ts';
import { buildDefaultSystemStudy, resolveSystemStudy } from '../studies/system/index.ts';
import { COORDINATION_NAMES, type CoordinationConfig, createCoordination } from './index.ts';
import type { CoordinationMechanism, DsoPricingInput } from './mechanism.ts';

/** The bundled system study, small: case14 + CIGRE MV + five IEEE European LV platforms of 4 households, 1 day. */
const study = () => buildDefaultSystemStudy({ households: 4, seed: 3 });

/** The mechanism with every schedule it sends recorded next to its input. */
function recording(mechanism: CoordinationMechanism) {
  const calls: { input: DsoPricingInput; schedule: PriceSchedule }[] = [];
  const recorded: CoordinationMechanism = {
    ...mechanism,
    priceSchedule: async (input) => {
      const schedule = await mechanism.priceSchedule(input);
      calls.push({ input, schedule });
      return schedule;
    },
  };
  return { recorded, calls };
}

export function describeCoordinationConformance(config: CoordinationConfig): void {
  describe(`coordination ${config.name} conformance`, async () => {
    const mechanism = createCoordination(config);
    const { recorded, calls } = recording(mechanism);
    const run = await simulateSystem(resolveSystemStudy(study()), { coordination: recorded });

    it('is built by the factory from its config', () => {
      expect(mechanism.name).toBe(config.name);
      expect(mechanism.config.name).toBe(config.name);
      expect(createCoordination(mechanism.config).config).toEqual(mechanism.config);
    });

    it('settles into a ledger whose balances and every transaction sum to exactly zero', () => {
      expect(run.ledger.transactions.length).toBeGreaterThan(0);
      expect(run.ledger.totalBalance()).toBe(0n);
      for (const t of run.ledger.transactions) {
        let sum = 0n;
        for (const p of t.postings) sum += p.amountMicroEur;
        expect(sum).toBe(0n);
      }
    });

    it('holds energy balance at the prosumer, platform, DSO and TSO level in every interval', () => {
      const levels = [...new Set(run.recorder.balance.map((b) => b.level))].sort();
      expect(levels).toEqual(['dso', 'platform', 'prosumer', 'tso']);
      for (const b of run.recorder.balance) expect(Math.abs(b.residualKw)).toBeLessThan(1e-2);
    });

    it('gives identical results for the same seed', async () => {
      const again = await simulateSystem(resolveSystemStudy(study()), {
        coordination: createCoordination(config),
      });
      expect(JSON.stringify(again.recorder)).toBe(JSON.stringify(run.recorder));
      expect(again.ledger.transactions).toEqual(run.ledger.transactions);
    });

    it('sends PriceSchedules valid against their schema, covering the input it was given', () => {
      expect(calls.length).toBeGreaterThan(0);
      for (const { input, schedule } of calls) {
        expect(priceScheduleSchema.safeParse(schedule).success).toBe(true);
        expect(schedule.startUtc).toBe(input.index.startUtc);
        expect(schedule.intervalMinutes).toBe(input.index.stepMin);
        expect(schedule.intervalCount).toBe(input.index.length);
        const ids = new Set(schedule.locations.map((l) => l.locationId));
        expect(ids.size).toBe(schedule.locations.length);
        for (const l of input.locations) expect(ids.has(l.locationId)).toBe(true);
        if (mechanism.pricesHouseholds) {
          expect(input.feeders.length).toBeGreaterThan(0);
          for (const f of input.feeders) for (const m of f.members) expect(ids.has(m.locationId)).toBe(true);
        }
        for (const fee of schedule.fees) {
          expect(ids.has(fee.buyerLocationId)).toBe(true);
          expect(ids.has(fee.sellerLocationId)).toBe(true);
        }
      }
    });
  });
}

for (const name of COORDINATION_NAMES) describeCoordinationConformance({ name });
