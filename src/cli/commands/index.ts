// The list of CLI commands; each lives in its own file under commands/.
import type { RegisterCommand } from '../output.ts';
import { registerCompareCommand } from './compare.ts';
import { registerDlmpCommand } from './dlmp.ts';
import { registerDsoPricingCommand } from './dso-pricing.ts';
import { registerMarketCommand } from './market.ts';
import { registerOptimalPowerFlowCommand } from './optimal-power-flow.ts';
import { registerPlanCommand } from './plan.ts';
import { registerPolicyCommand } from './policy.ts';
import { registerPowerFlowCommand } from './power-flow.ts';
import { registerScenarioCommand } from './scenario.ts';
import { registerServe } from './serve.ts';
import { registerSimulateCommand } from './simulate.ts';
import { registerStudyCommand } from './study.ts';
import { registerTimeseriesCommand } from './timeseries.ts';
import { registerTrainCommand } from './train.ts';
import { registerViewCommand } from './view.ts';

export const COMMANDS: readonly RegisterCommand[] = [
  registerPowerFlowCommand,
  registerOptimalPowerFlowCommand,
  registerMarketCommand,
  registerServe,
  registerScenarioCommand,
  registerTimeseriesCommand,
  registerDlmpCommand,
  registerDsoPricingCommand,
  registerSimulateCommand,
  registerCompareCommand,
  registerTrainCommand,
  registerStudyCommand,
  registerPlanCommand,
  registerPolicyCommand,
  registerViewCommand,
];
