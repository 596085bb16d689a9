// Which scenario networks have a three-phase model: the bundled European LV feeder only.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { threePhaseLvModel } from './lv-three-phase-model.ts';

describe('threePhaseLvModel', () => {
  it('gives the OpenDSS European LV feeder for the case and for an inline copy', () => {
    const model = threePhaseLvModel({ kind: 'case', name: 'ieee-european-lv' }, []);
    expect(model.loads.length).toBe(55);
    expect(threePhaseLvModel({ kind: 'inline', network: { name: 'ieee-european-lv' } }, [])).toBe(model);
  });

  it('rejects other networks with an InputError at the given path', () => {
    const call = () => threePhaseLvModel({ kind: 'case', name: 'cigre-lv' }, ['networks', 0, 'source']);
    expect(call).toThrow(InputError);
    expect(call).toThrow(/networks\[0\]\.source: --lv-model three-phase needs/);
  });
});
