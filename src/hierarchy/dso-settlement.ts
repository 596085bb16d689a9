// The DSO's daily settlement: MV customers pay retail (energy → retailer, network charge → DSO); the DSO buys losses.
import { KW_PER_MW } from '../core/units.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { accountIds } from './settlement-accounts.ts';
import type { SimulationConfig } from './simulation-config.ts';

export interface DsoDay {
  readonly dsoId: string;
  /** UTC date of the delivery day (YYYY-MM-DD), the prefix of transaction ids. */
  readonly day: string;
  readonly stepMin: number;
  /** Fixed MV load and actual MV losses per DSO interval (kW). */
  readonly fixedLoadKw: readonly number[];
  readonly lossesKw: readonly number[];
  /** Day-ahead wholesale price at the grid supply point per DSO interval (EUR/MWh). */
  readonly wholesalePriceEurPerMwh: readonly number[];
  readonly tariff: SimulationConfig['tariff'];
}

/**
 * Two transactions: the MV customers' day at retail (energy at wholesale + margin → retailer, network charge →
 * DSO), and the DSO's actual MV losses bought from the retailer at the day-ahead wholesale price.
 */
export function settleDsoDay(ledger: Ledger, d: DsoDay): void {
  const dso = accountIds.dso(d.dsoId);
  const retailer = accountIds.retailer(d.dsoId);
  const mv = accountIds.mvLoads(d.dsoId);
  ledger.openAccount(dso, 'fee');
  ledger.openAccount(retailer, 'external');
  ledger.openAccount(mv, 'external');
  const dt = d.stepMin / 60;
  const t = d.tariff;
  let energy = 0;
  let network = 0;
  let losses = 0;
  d.fixedLoadKw.forEach((loadKw, k) => {
    const w = d.wholesalePriceEurPerMwh[k] / KW_PER_MW;
    energy += loadKw * dt * (w + t.retailMarginEurPerKwh);
    network += loadKw * dt * t.networkChargeEurPerKwh;
    losses += d.lossesKw[k] * dt * w;
  });
  ledger.postRoundedTransaction(
    `${d.day}/${d.dsoId}/mv-loads`,
    'MV customers: retail energy and network charge',
    [
      { accountId: mv, amountEur: -(energy + network) },
      { accountId: retailer, amountEur: energy },
      { accountId: dso, amountEur: network },
    ],
  );
  ledger.postRoundedTransaction(
    `${d.day}/${d.dsoId}/losses`,
    'MV network losses bought at the day-ahead wholesale price',
    [
      { accountId: dso, amountEur: -losses },
      { accountId: retailer, amountEur: losses },
    ],
  );
}
