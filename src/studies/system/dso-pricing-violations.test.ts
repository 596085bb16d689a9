// Under `dso-pricing` (issue 6's DLMP pricing per LV feeder) the feeder power flows violate limits no more often than
// under `none`, on a small study with high PV and EV penetration where `none` does violate.
import { describe, expect, it } from 'vitest';
import { createCoordination } from '../../coordination/index.ts';
import { simulateSystem } from '../../hierarchy/engine.ts';
import type { SimulationRecorder } from '../../hierarchy/recorder.ts';
import { loadCase } from '../../io/case-registry.ts';
import { DEFAULT_DER_MIX } from '../../scenario/draw-household.ts';
import { buildDefaultSystemStudy } from './build-system-study.ts';
import { resolveSystemStudy } from './load-system-study.ts';

const V_MIN = 0.94;
const V_MAX = 1.1;

/** One IEEE European LV feeder under CIGRE MV: 55 households, all with PV (sizes × 3) and an EV; UK LV limits. */
function highDerStudy() {
  const study = buildDefaultSystemStudy({
    households: 55,
    seed: 5,
    sites: [
      {
        bus: 'Bus 5',
        replicas: 1,
        mixName: 'high-pv-ev',
        mix: { ...DEFAULT_DER_MIX, pvShare: 1, batteryShareOfPv: 0, evShare: 1, heatPumpShare: 0 },
      },
    ],
  });
  const lv = loadCase('ieee-european-lv');
  return {
    ...study,
    networks: study.networks.map((n) =>
      n.level === 'lv'
        ? {
            ...n,
            source: {
              kind: 'inline' as const,
              network: { ...lv, buses: lv.buses.map((b) => ({ ...b, vmMinPu: V_MIN, vmMaxPu: V_MAX })) },
            },
          }
        : n,
    ),
    prosumers: (study.prosumers ?? []).map((p) => ({
      ...p,
      pv: (p.pv ?? []).map((pv) => ({ ...pv, capacityKwp: pv.capacityKwp * 3 })),
    })),
  };
}

/** Platform intervals whose feeder power flow breaks a voltage limit or the transformer rating. */
const violations = (recorder: SimulationRecorder) =>
  recorder.platform.filter((r) => r.vmMinPu < V_MIN || r.vmMaxPu > V_MAX || r.transformerLoadingPercent > 100)
    .length;

describe('dso-pricing on a high-PV/EV LV feeder', async () => {
  const model = resolveSystemStudy(highDerStudy());
  const none = await simulateSystem(model, { coordination: createCoordination('none') });
  const priced = await simulateSystem(model, { coordination: createCoordination('dso-pricing') });

  it('violates LV limits no more often than without network pricing (which does violate)', () => {
    expect(violations(none.recorder)).toBeGreaterThan(0);
    expect(violations(priced.recorder)).toBeLessThanOrEqual(violations(none.recorder));
    expect(Math.max(...priced.recorder.platform.map((r) => r.vmMaxPu))).toBeLessThanOrEqual(V_MAX);
  });

  it('charges P2P trades the pair fees of the DSO (none charges none) and settles to exactly zero', () => {
    expect(priced.recorder.trades.some((t) => Math.abs(t.feeEurPerKwh) > 1e-6)).toBe(true);
    expect(none.recorder.trades.every((t) => t.feeEurPerKwh === 0)).toBe(true);
    expect(priced.ledger.totalBalance()).toBe(0n);
    expect(none.ledger.totalBalance()).toBe(0n);
  });
});
