import { buildDefaultSystemStudy, resolveSystemStudy } from './src/studies/system/index.ts';
import { simulateSystem } from './src/hierarchy/engine.ts';
import { createCoordination } from './src/coordination/index.ts';
import { computeCoordinationOutcome } from './src/value/index.ts';
const households = Number(process.argv[2] ?? 4);
const kva = Number(process.argv[4] ?? 0);
const s: any = buildDefaultSystemStudy({ households, seed: 3 });
if (kva > 0) s.simulation.feeders = s.simulation.feeders.map((f: any) => ({ ...f, transformerKva: kva }));
const model = resolveSystemStudy(s);
for (const cfg of JSON.parse(process.argv[3] ?? '["none","dso-pricing","centralised","negotiation"]')) {
  const t0 = performance.now();
  const mech = createCoordination(cfg);
  const r = await simulateSystem(model, { coordination: mech });
  const o = computeCoordinationOutcome(r.recorder);
  const g = (mech as any).gates?.map((x: any) => `${x.status}/${x.rounds}r/${x.messages}m/lost${x.lostMessages}/maxλ${Math.max(...x.priceEurPerMwh.map((p: any) => Math.max(...p))).toFixed(1)}`) ?? '';
  const maxLoad = Math.max(...r.recorder.platform.map((p) => p.transformerLoadingPercent));
  console.log(JSON.stringify(cfg), o.welfareEur.toFixed(3), o.lvVoltageViolationIntervals, o.lvThermalViolationIntervals, o.mvViolationIntervals, 'maxLV%', maxLoad.toFixed(1), 'ledger', r.ledger.totalBalance(), ((performance.now()-t0)/1000).toFixed(1)+'s', g, JSON.stringify(mech.negotiationStats?.()));
}
