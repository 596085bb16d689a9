// `gridnest plan --out DIR`: plan.json (the plan, both plans with / without P2P, the deferral value, loadings) and
// plan.html. The plan with the other P2P setting is solved here with the same method.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Network } from '../../grid/schema.ts';
import { parseJson } from '../../io/parse-json.ts';
import { readTextFile } from '../../io/read-text-file.ts';
import { comparePlans } from '../../planning/plan-comparison.ts';
import { planLoadings } from '../../planning/plan-loading.ts';
import { renderPlanReportHtml } from '../../planning/plan-report.ts';
import { type PlanResult, type PlanSolution, planJson } from '../../planning/run-plan.ts';
import type { PlanningStudy } from '../../planning/study-schema.ts';
import { type PlanDeferral, parsePlanDeferral } from '../../value/plan-deferral.ts';

/** Read `--plan`: a plan.json, or the folder `gridnest plan --out` wrote it to. */
export function readPlanFile(path: string): PlanDeferral {
  let file = path;
  try {
    if (statSync(path).isDirectory()) file = join(path, 'plan.json');
  } catch {
    // readTextFile reports the missing path.
  }
  return parsePlanDeferral(parseJson(readTextFile(file), file), [file]);
}

export async function writePlanOutputs(
  out: string,
  study: PlanningStudy,
  network: Network | undefined,
  result: PlanResult,
  solution: PlanSolution | undefined,
  options: { deferralYears: number; timeLimitS?: number },
): Promise<void> {
  const comparison = await comparePlans(study, network, {
    method: result.method,
    maxDeferralYears: options.deferralYears,
    timeLimitS: options.timeLimitS,
    ...(result.isP2pAllowed ? { withP2p: result } : { withoutP2p: result }),
  });
  const loadings = solution
    ? await planLoadings(solution.instance, solution.lower, solution.decision, solution.x)
    : [];
  const plan = planJson(result);
  const document = {
    study: study.name,
    isP2pAllowed: result.isP2pAllowed,
    ...plan,
    ...(result.lowerBoundEur !== undefined && { lowerBoundEur: result.lowerBoundEur }),
    comparison,
    loadings,
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'plan.json'), `${JSON.stringify(document, null, 2)}\n`);
  writeFileSync(
    join(out, 'plan.html'),
    renderPlanReportHtml({
      studyName: study.name,
      plan,
      isP2pAllowed: result.isP2pAllowed,
      candidates: study.candidates,
      loadings,
      comparison,
    }),
  );
}
