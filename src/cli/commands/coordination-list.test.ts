// `--coordination` lists: comma-separated names, `all`, unknown names as a usage error naming the option.
import { describe, expect, it } from 'vitest';
import { COORDINATION_NAMES } from '../../coordination/config.ts';
import { InputError } from '../../core/errors.ts';
import { parseCoordinationList, parseNegotiationFlags } from './coordination-list.ts';

describe('parseCoordinationList', () => {
  it('keeps the order of a comma-separated list, once per name', () => {
    expect(parseCoordinationList('dso-pricing, none,dso-pricing')).toEqual(['dso-pricing', 'none']);
  });
  it('expands all to every coordination name', () => {
    expect(parseCoordinationList('all')).toEqual([...COORDINATION_NAMES]);
  });
  it('rejects unknown and empty lists with an InputError on --coordination', () => {
    for (const bad of ['predictive', 'none,,bogus', ' , ']) {
      const error = (() => {
        try {
          parseCoordinationList(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues[0].path).toEqual(['--coordination']);
    }
  });
});

describe('parseNegotiationFlags', () => {
  it('maps the flags to negotiation options and names the flag of a bad value', () => {
    expect(parseNegotiationFlags({ messageLoss: '0.1', maxDelayRounds: '2' })).toEqual({
      lossProbability: 0.1,
      maxDelayRounds: 2,
    });
    expect(parseNegotiationFlags({})).toEqual({});
    expect(() => parseNegotiationFlags({ messageLoss: '1.5' })).toThrow(/--message-loss/);
    expect(() => parseNegotiationFlags({ maxDelayRounds: '-1' })).toThrow(/--max-delay-rounds/);
  });
});
