import { buildDefaultSystemStudy, resolveSystemStudy } from './src/studies/system/index.ts';
import { simulateSystem } from './src/hierarchy/engine.ts';
import { createCoordination } from './src/coordination/index.ts';
import { computeCoordinationOutcome } from './src/value/index.ts';
import { createNetwork } from './src/grid/create-network.ts';
const households = Number(process.argv[2] ?? 20);
const vmin = Number(process.argv[4] ?? 0.9);
const model: any = resolveSystemStudy(buildDefaultSystemStudy({ households, seed: 3 }));
for (const d of model.dsos) for (const f of d.feeders) f.network = createNetwork({ ...f.network, buses: f.network.buses.map((b: any) => ({ ...b, vmMinPu: vmin })) });
const bands = new Map(model.dsos.flatMap((d: any) => d.feeders.map((f: any) => [f.platformId, { vmMinPu: vmin, vmMaxPu: 1.1 }])));
for (const cfg of JSON.parse(process.argv[3] ?? '["none"]')) {
  const t0 = performance.now();
  const mech = createCoordination(cfg);
  const r = await simulateSystem(model, { coordination: mech });
  const o = computeCoordinationOutcome(r.recorder, undefined, bands as any);
  const minV = Math.min(...r.recorder.platform.map((p) => p.vmMinPu));
  const byP = new Map<string, number>(); for (const p of r.recorder.platform) byP.set(p.platform, Math.min(byP.get(p.platform) ?? 9, p.vmMinPu));
  const g = (mech as any).gates?.map((x: any) => `${x.status}/${x.rounds}r/maxλ${Math.max(...x.priceEurPerMwh.map((p: any) => Math.max(...p))).toFixed(1)}`) ?? '';
  console.log(JSON.stringify(cfg), o.welfareEur.toFixed(2), 'V', o.lvVoltageViolationIntervals, 'T', o.lvThermalViolationIntervals, 'MV', o.mvViolationIntervals, 'minV', minV.toFixed(4), JSON.stringify([...byP].map(([k, v]) => [k.slice(3, 8), +v.toFixed(4)])), ((performance.now() - t0) / 1000).toFixed(0) + 's', g);
}
