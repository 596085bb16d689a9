// Settlement of one closed delivery interval: trades (buyer pays seller and DSO fee), then meter vs traded position
// imbalances at the DSO's import/export prices, posted to the double-entry ledger in one database transaction.

import type { InputIssue } from '../../core/errors.ts';
import {
  findScheduleIndex,
  lookupFeeEurPerKwh,
  lookupLocationPrices,
  type PriceSchedule,
} from '../../core/price-schedule.ts';
import { Ledger, ROUNDING_ACCOUNT_ID } from '../../ledger/index.ts';
import {
  describeTrade,
  formatKwh,
  settleImbalance,
  type TradeToSettle,
  tradeLegs,
} from '../../settlement/index.ts';
import { conflict } from '../api/service-error.ts';
import { mapTradeRow, TRADE_COLUMNS } from '../market/records.ts';
import { microEurToEurNumber, whToKwh } from '../market/units.ts';
import type { Database, SqlClient } from '../storage/database.ts';

export interface SettlementMemberLine {
  readonly memberId: string;
  readonly soldKwh: number;
  readonly boughtKwh: number;
  readonly meteredExportKwh: number;
  readonly meteredImportKwh: number;
  readonly imbalanceKwh: number;
  readonly imbalanceMicroEur: number;
}

export interface SettlementRun {
  readonly id: string;
  readonly platformId: string;
  readonly intervalStart: string;
  readonly priceScheduleId: string;
  readonly dsoMemberId: string;
  readonly tradeCount: number;
  readonly members: readonly SettlementMemberLine[];
  readonly roundingResidualMicroEur: number;
  readonly createdAt: string;
}

interface MemberRow {
  readonly id: string;
  readonly role: string;
  readonly locationId: string;
}

/** Load the latest DSO schedule covering the interval (the most recent publication wins). */
export async function findApplicableSchedule(
  client: SqlClient,
  platformId: string,
  intervalStartMs: number,
): Promise<{ id: number; publishedBy: string; schedule: PriceSchedule } | null> {
  const result = await client.query(
    `SELECT id, published_by, schedule FROM price_schedules
     WHERE platform_id = $1 AND first_interval_ms <= $2 AND end_ms > $2 ORDER BY id DESC LIMIT 1`,
    [platformId, intervalStartMs],
  );
  if (result.rows.length === 0) return null;
  const row = result.rows[0];
  return {
    id: Number(row.id),
    publishedBy: String(row.published_by),
    schedule: row.schedule as PriceSchedule,
  };
}

export async function loadSettlementRun(
  client: SqlClient,
  platformId: string,
  intervalStartMs: number,
): Promise<SettlementRun | null> {
  const result = await client.query(
    'SELECT id, summary, created_at FROM settlement_runs WHERE platform_id = $1 AND interval_start_ms = $2',
    [platformId, intervalStartMs],
  );
  if (result.rows.length === 0) return null;
  const row = result.rows[0];
  return {
    ...(row.summary as Omit<SettlementRun, 'id' | 'createdAt'>),
    id: String(row.id),
    createdAt: new Date(row.created_at as string).toISOString(),
  };
}

/**
 * Settle one interval, once: returns `{ run, created: false }` when it was settled before.
 *
 * Money rules (`settlement/`; ledger sign: + received, − paid; legs rounded half to even per
 * `Ledger.postRoundedTransaction`):
 * - each trade: buyer pays eKwh·(price + fee(buyer location, seller location)), seller receives eKwh·price, the DSO
 *   that published the applicable PriceSchedule receives eKwh·fee (`tradeLegs`);
 * - each member: imbalance = metered net export − traded net sale (kWh). A surplus is bought by the DSO at the
 *   member location's export price, a shortfall sold by the DSO at its import price (`settleImbalance` with the
 *   DSO as the only counterparty: the service has no retailer).
 * Members that traded must have a meter reading; members with neither trades nor readings are skipped.
 */
export async function settleInterval(
  db: Database,
  platformId: string,
  intervalStartMs: number,
): Promise<{ run: SettlementRun; created: boolean }> {
  return db.transaction(async (tx) => {
    // Serialise settlements of one platform; the unique (platform, interval) key makes a second run impossible.
    await tx.query('SELECT id FROM platforms WHERE id = $1 FOR UPDATE', [platformId]);
    const previous = await loadSettlementRun(tx, platformId, intervalStartMs);
    if (previous) return { run: previous, created: false };
    const applicable = await findApplicableSchedule(tx, platformId, intervalStartMs);
    if (!applicable)
      throw conflict('no_price_schedule', 'no DSO PriceSchedule covers this interval', [
        {
          code: 'no_price_schedule',
          path: ['body', 'intervalStart'],
          message: 'no DSO PriceSchedule covers this interval',
        },
      ]);
    const { schedule } = applicable;
    const index = findScheduleIndex(schedule, intervalStartMs)!;
    const memberRows = await tx.query('SELECT id, role, location_id FROM members WHERE platform_id = $1', [
      platformId,
    ]);
    const members = new Map<string, MemberRow>(
      memberRows.rows.map((r) => [
        String(r.id),
        { id: String(r.id), role: String(r.role), locationId: String(r.location_id) },
      ]),
    );
    const trades = (
      await tx.query(
        `SELECT ${TRADE_COLUMNS} FROM trades WHERE platform_id = $1 AND interval_start_ms = $2 ORDER BY id`,
        [platformId, intervalStartMs],
      )
    ).rows.map(mapTradeRow);
    const readings = new Map<string, { importWh: number; exportWh: number }>();
    for (const row of (
      await tx.query(
        'SELECT member_id, import_wh, export_wh FROM meter_readings WHERE platform_id = $1 AND interval_start_ms = $2',
        [platformId, intervalStartMs],
      )
    ).rows)
      readings.set(String(row.member_id), {
        importWh: Number(row.import_wh),
        exportWh: Number(row.export_wh),
      });

    const soldWh = new Map<string, number>();
    const boughtWh = new Map<string, number>();
    for (const trade of trades) {
      soldWh.set(trade.sellerId, (soldWh.get(trade.sellerId) ?? 0) + trade.energyWh);
      boughtWh.set(trade.buyerId, (boughtWh.get(trade.buyerId) ?? 0) + trade.energyWh);
    }
    const involved = [...new Set([...soldWh.keys(), ...boughtWh.keys(), ...readings.keys()])].sort();
    const issues: InputIssue[] = [];
    for (const memberId of involved) {
      if (!readings.has(memberId))
        issues.push({
          code: 'missing_meter_reading',
          path: ['meterReadings', memberId],
          message: `no meter reading for ${memberId}`,
        });
      const location = members.get(memberId)?.locationId ?? '';
      if (!lookupLocationPrices(schedule, location, index))
        issues.push({
          code: 'missing_price',
          path: ['priceSchedule', 'locations', location],
          message: `no prices for location ${location}`,
        });
    }
    if (issues.length > 0) throw conflict('cannot_settle', 'the interval cannot be settled yet', issues);

    const dsoId = applicable.publishedBy;
    const ledger = new Ledger();
    ledger.openAccount(dsoId, 'fee');
    for (const memberId of involved) if (memberId !== dsoId) ledger.openAccount(memberId, 'agent');
    const prefix = `${platformId}/${new Date(intervalStartMs).toISOString()}`;
    let residual = 0n;
    for (const trade of trades) {
      const settled: TradeToSettle = {
        buyerAccountId: trade.buyerId,
        sellerAccountId: trade.sellerId,
        eKwh: whToKwh(trade.energyWh),
        priceEurPerKwh: microEurToEurNumber(trade.priceMicroEurPerKwh),
        feeEurPerKwh: lookupFeeEurPerKwh(
          schedule,
          members.get(trade.buyerId)!.locationId,
          members.get(trade.sellerId)!.locationId,
          index,
        ),
      };
      residual += ledger.postRoundedTransaction(
        `${prefix}/trade/${trade.id}`,
        `trade ${trade.id}: ${describeTrade(settled, { showFee: true })}`,
        tradeLegs(settled, dsoId),
      );
    }
    const lines: SettlementMemberLine[] = [];
    for (const memberId of involved) {
      const reading = readings.get(memberId)!;
      const tradedNetWh = (soldWh.get(memberId) ?? 0) - (boughtWh.get(memberId) ?? 0);
      const imbalanceWh = reading.exportWh - reading.importWh - tradedNetWh;
      const prices = lookupLocationPrices(schedule, members.get(memberId)!.locationId, index)!;
      let imbalanceMicroEur = 0;
      if (imbalanceWh !== 0 && memberId !== dsoId) {
        const eKwh = whToKwh(imbalanceWh);
        const { legs } = settleImbalance(memberId, [{ imbalanceKwh: eKwh, ...prices }], {
          networkAccountId: dsoId,
        });
        const before = ledger.balanceOf(memberId);
        residual += ledger.postRoundedTransaction(
          `${prefix}/imbalance/${memberId}`,
          `imbalance ${formatKwh(eKwh)} of ${memberId} (${eKwh > 0 ? 'surplus at export' : 'shortfall at import'} price)`,
          legs,
        );
        imbalanceMicroEur = Number(ledger.balanceOf(memberId) - before);
      }
      lines.push({
        memberId,
        soldKwh: whToKwh(soldWh.get(memberId) ?? 0),
        boughtKwh: whToKwh(boughtWh.get(memberId) ?? 0),
        meteredExportKwh: whToKwh(reading.exportWh),
        meteredImportKwh: whToKwh(reading.importWh),
        imbalanceKwh: whToKwh(imbalanceWh),
        imbalanceMicroEur,
      });
    }
    const summary = {
      platformId,
      intervalStart: new Date(intervalStartMs).toISOString(),
      priceScheduleId: String(applicable.id),
      dsoMemberId: dsoId,
      tradeCount: trades.length,
      members: lines,
      roundingResidualMicroEur: Number(residual),
    };
    const inserted = await tx.query(
      `INSERT INTO settlement_runs (platform_id, interval_start_ms, price_schedule_id, summary)
       VALUES ($1, $2, $3, $4::jsonb) RETURNING id, created_at`,
      [platformId, intervalStartMs, applicable.id, JSON.stringify(summary)],
    );
    const runId = Number(inserted.rows[0].id);
    const txs = ledger.transactions;
    if (txs.length > 0) {
      await tx.query(
        `INSERT INTO ledger_transactions (id, platform_id, settlement_run_id, description)
         SELECT u.id, $1, $2, u.description FROM unnest($3::text[], $4::text[]) AS u(id, description)`,
        [platformId, runId, txs.map((t) => t.id), txs.map((t) => t.description)],
      );
      const postings = txs.flatMap((t) =>
        t.postings.map((p, leg) => ({
          transactionId: t.id,
          leg,
          accountId: p.accountId,
          amount: Number(p.amountMicroEur),
        })),
      );
      await tx.query(
        `INSERT INTO ledger_postings (transaction_id, leg, platform_id, account_id, amount_micro_eur)
         SELECT u.t, u.leg, $1, u.account_id, u.amount FROM unnest($2::text[], $3::int[], $4::text[], $5::bigint[])
           AS u(t, leg, account_id, amount)`,
        [
          platformId,
          postings.map((p) => p.transactionId),
          postings.map((p) => p.leg),
          postings.map((p) => p.accountId),
          postings.map((p) => p.amount),
        ],
      );
    }
    // Whatever was still open for this interval can no longer trade.
    await tx.query(
      `UPDATE orders SET status = 'expired' WHERE platform_id = $1 AND interval_start_ms = $2 AND status IN ('open', 'partially_filled')`,
      [platformId, intervalStartMs],
    );
    return {
      run: {
        ...summary,
        id: String(runId),
        createdAt: new Date(inserted.rows[0].created_at as string).toISOString(),
      },
      created: true,
    };
  });
}

export { ROUNDING_ACCOUNT_ID };
