// `gridnest compare --seeds`: a list of distinct non-negative integers, an InputError naming the flag otherwise.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { parseSeedList } from './compare.ts';

describe('compare --seeds', () => {
  it('parses --seeds and rejects bad lists', () => {
    expect(parseSeedList('3, 1,3')).toEqual([3, 1]);
    expect(() => parseSeedList('1,x')).toThrow(InputError);
    expect(() => parseSeedList('')).toThrow(/--seeds/);
    expect(() => parseSeedList('-1')).toThrow(/non-negative/);
  });
});
