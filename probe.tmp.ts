import { buildDefaultSystemStudy } from './src/hierarchy/default-system-scenario.ts';
import { resolveSystemStudy } from './src/hierarchy/system-study.ts';
import { simulateSystem } from './src/hierarchy/engine.ts';
import { createCoordination } from './src/coordination/index.ts';
import { computeCoordinationOutcome } from './src/value/index.ts';
const model = resolveSystemStudy(buildDefaultSystemStudy({ households: Number(process.argv[2] ?? 4), seed: 3 }));
for (const cfg of JSON.parse(process.argv[3] ?? '["none","dso-pricing","centralised","negotiation"]')) {
  const t0 = performance.now();
  const mech = createCoordination(cfg);
  const r = await simulateSystem(model, { coordination: mech });
  const o = computeCoordinationOutcome(r.recorder);
  const g = (mech as any).gates?.map((x: any) => `${x.status}/${x.rounds}r/${x.messages}m/lost${x.lostMessages}`) ?? '';
  console.log(JSON.stringify(cfg), o.welfareEur.toFixed(3), o.lvVoltageViolationIntervals, o.lvThermalViolationIntervals, o.mvViolationIntervals, r.ledger.totalBalance(), ((performance.now()-t0)/1000).toFixed(1)+'s', g, mech.negotiationStats?.());
}
