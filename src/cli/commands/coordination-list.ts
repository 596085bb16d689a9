// `--coordination none,dso-pricing` / `all`: the coordinations a simulation runs, validated against COORDINATION_NAMES.
import {
  COORDINATION_NAMES,
  type CoordinationConfig,
  type CoordinationName,
  type NegotiationOptions,
  negotiationOptionsSchema,
} from '../../coordination/config.ts';
import { InputError, parseInput } from '../../core/errors.ts';
import { readRlPolicy } from '../../studies/rl-policy.ts';

/** Parse a comma-separated list of coordination names (or `all`: every name); duplicates are kept once. */
export function parseCoordinationList(value: string): CoordinationName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length === 0)
    throw InputError.single('bad_option', ['--coordination'], 'must name at least one coordination');
  const out: CoordinationName[] = [];
  for (const name of names) {
    const expanded = name === 'all' ? COORDINATION_NAMES : [name];
    for (const n of expanded) {
      if (!(COORDINATION_NAMES as readonly string[]).includes(n))
        throw InputError.single(
          'bad_option',
          ['--coordination'],
          `unknown coordination ${JSON.stringify(n)}; expected all or a comma-separated list of ${COORDINATION_NAMES.join(', ')}`,
        );
      if (!out.includes(n as CoordinationName)) out.push(n as CoordinationName);
    }
  }
  return out;
}

/** `--message-loss p` and `--max-delay-rounds n` as negotiation options (InputError naming the flag). */
export function parseNegotiationFlags(flags: {
  readonly messageLoss?: string;
  readonly maxDelayRounds?: string;
}): NegotiationOptions {
  const field = (key: 'lossProbability' | 'maxDelayRounds', value: string | undefined, flag: string) =>
    value === undefined
      ? {}
      : { [key]: parseInput(negotiationOptionsSchema.shape[key], Number(value), [flag]) };
  return {
    ...field('lossProbability', flags.messageLoss, '--message-loss'),
    ...field('maxDelayRounds', flags.maxDelayRounds, '--max-delay-rounds'),
  };
}

/** A coordination's config with the CLI's defaults: `rl` gets the shipped policy (data/rl/policy.json). */
export function cliCoordination(name: CoordinationName): CoordinationConfig {
  return name === 'rl' ? { name, policy: readRlPolicy() } : ({ name } as CoordinationConfig);
}
