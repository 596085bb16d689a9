// Network formulations behind one interface (formulation.ts): AC polar, DC and LinDistFlow.
export * from './ac-polar.ts';
export * from './dc.ts';
export * from './formulation.ts';
export * from './lin-dist-flow.ts';

import { AC_POLAR } from './ac-polar.ts';
import { DC } from './dc.ts';
import type { FormulationName } from './formulation.ts';
import { LIN_DIST_FLOW } from './lin-dist-flow.ts';

/** Every formulation by name (each with its own model and state types). */
export const FORMULATIONS = {
  'ac-polar': AC_POLAR,
  dc: DC,
  'lin-dist-flow': LIN_DIST_FLOW,
} as const satisfies Record<FormulationName, { readonly name: FormulationName }>;
