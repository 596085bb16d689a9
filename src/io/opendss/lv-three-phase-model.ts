// The three-phase model of a scenario's LV network: the bundled IEEE European LV feeder as its OpenDSS script (loads on
// their phases), for the `ieee-european-lv` case or an inline copy of it; other networks have no phase data.
import { InputError } from '../../core/errors.ts';
import type { ThreePhaseNetwork } from '../../three-phase/model.ts';
import { bundledDataPath } from '../bundled-data.ts';
import { readOpenDss } from './read-opendss.ts';

type NetworkSource =
  | { readonly kind: 'case'; readonly name: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'inline'; readonly network: { readonly name?: string } };

let europeanLv: ThreePhaseNetwork | undefined;

/** Three-phase network for a scenario network source; InputError at `path` when it has no three-phase model. */
export function threePhaseLvModel(
  source: NetworkSource,
  path: readonly (string | number)[],
): ThreePhaseNetwork {
  const isEuropeanLv =
    (source.kind === 'case' && source.name === 'ieee-european-lv') ||
    (source.kind === 'inline' && source.network.name === 'ieee-european-lv');
  if (!isEuropeanLv)
    throw InputError.single(
      'no_three_phase_model',
      [...path],
      '--lv-model three-phase needs the IEEE European LV feeder (case ieee-european-lv); other LV networks have no phase data',
    );
  europeanLv ??= readOpenDss(bundledDataPath('opendss/european-lv/Master.dss')).network;
  return europeanLv;
}
