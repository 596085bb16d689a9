// The README's library example works through the package's own name (package.json "exports").

import { InputError, loadCase, solveDcOpf, solvePowerFlow } from 'gridnest';
import { Ledger } from 'gridnest/ledger';
import { createMarketMechanism } from 'gridnest/markets';
import { describe, expect, it } from 'vitest';

describe('public API', () => {
  it('runs the README example', async () => {
    const pf = solvePowerFlow(loadCase('case33bw'), { method: 'nr' });
    expect(Math.abs(pf.lossesMw * 1000 - 202.677126)).toBeLessThan(0.01);
    const opf = await solveDcOpf(loadCase('case9'));
    expect(Math.abs(opf.objectivePerH - 5216.026607) / 5216.026607).toBeLessThan(1e-4);
  });

  it('exposes module sub-paths (markets, ledger)', async () => {
    const admm = createMarketMechanism('admm');
    expect(admm.name).toBe('admm');
    expect(new Ledger().totalBalance()).toBe(0n);
  });

  it('throws InputError with issues for an unknown case', () => {
    try {
      loadCase('no-such-case');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues[0].code).toBe('unknown_case');
    }
  });
});
