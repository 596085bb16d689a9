// Double-entry ledger: accounts, transactions whose postings sum to exactly zero, balances (micro-euros).
import { InputError } from '../core/errors.ts';
import { type MicroEur, roundEurToMicroEur } from './money.ts';

/** Who an account belongs to; only descriptive (every account follows the same sign rule). */
export type AccountKind = 'agent' | 'fee' | 'grid' | 'rounding' | 'external';

export interface Account {
  readonly id: string;
  readonly kind: AccountKind;
}

/**
 * One leg of a transaction. Sign rule: a positive amount is money the account receives, a negative amount money
 * it pays, so the postings of every transaction sum to zero and an account's balance is its net receipts.
 */
export interface Posting {
  readonly accountId: string;
  readonly amountMicroEur: MicroEur;
}

export interface Transaction {
  readonly id: string;
  readonly description: string;
  readonly postings: readonly Posting[];
}

/** The account that absorbs what per-leg rounding leaves over, so that every transaction balances exactly. */
export const ROUNDING_ACCOUNT_ID = 'rounding-residual';

/**
 * An append-only ledger. It holds its own state (no globals); every posted transaction is checked to balance
 * to the micro-euro and to name only opened accounts.
 */
export class Ledger {
  private readonly accountsById = new Map<string, Account>();
  private readonly balancesById = new Map<string, MicroEur>();
  private readonly journal: Transaction[] = [];
  private readonly keepJournal: boolean;
  private posted = 0;

  /**
   * `keepJournal: false` keeps accounts and balances only: every transaction is still checked and applied, but not
   * stored (`transactions` is empty). For runs whose journal would not fit in memory, e.g. a 100,000-prosumer day
   * posts about 7 million P2P trades.
   */
  constructor(options: { readonly keepJournal?: boolean } = {}) {
    this.keepJournal = options.keepJournal ?? true;
    this.openAccount(ROUNDING_ACCOUNT_ID, 'rounding');
  }

  /** Whether posted transactions are stored (`transactions`); lean runs keep balances only. */
  get keepsJournal(): boolean {
    return this.keepJournal;
  }

  /** Transactions posted so far (also counted when the journal is not kept). */
  get transactionCount(): number {
    return this.posted;
  }

  /** Open an account (idempotent for the same kind). */
  openAccount(id: string, kind: AccountKind): Account {
    const existing = this.accountsById.get(id);
    if (existing) {
      if (existing.kind !== kind)
        throw InputError.single(
          'account_kind',
          ['accountId'],
          `account ${id} is already open as ${existing.kind}`,
        );
      return existing;
    }
    const account = { id, kind };
    this.accountsById.set(id, account);
    this.balancesById.set(id, 0n);
    return account;
  }

  hasAccount(id: string): boolean {
    return this.accountsById.has(id);
  }

  get accounts(): readonly Account[] {
    return [...this.accountsById.values()];
  }

  get transactions(): readonly Transaction[] {
    return this.journal;
  }

  /** Post a transaction whose postings already sum to zero; throws an InputError otherwise. */
  postTransaction(transaction: Transaction): void {
    let sum = 0n;
    transaction.postings.forEach((posting, index) => {
      if (!this.accountsById.has(posting.accountId))
        throw InputError.single(
          'unknown_account',
          ['postings', index, 'accountId'],
          `unknown account ${posting.accountId}`,
        );
      sum += posting.amountMicroEur;
    });
    if (sum !== 0n)
      throw InputError.single(
        'unbalanced',
        ['postings'],
        `transaction ${transaction.id} does not balance: postings sum to ${sum} micro-EUR`,
      );
    for (const posting of transaction.postings) {
      const balance = this.balancesById.get(posting.accountId)!;
      this.balancesById.set(posting.accountId, balance + posting.amountMicroEur);
    }
    this.posted++;
    if (this.keepJournal)
      this.journal.push({ ...transaction, postings: transaction.postings.map((p) => ({ ...p })) });
  }

  /**
   * Post legs given in euros: each leg is rounded on its own (half to even, `roundEurToMicroEur`) and whatever
   * the rounded legs fail to sum to is posted to the rounding-residual account. Returns the residual posted.
   * A `description` function is called only when the journal is kept (lean runs skip formatting millions of them).
   */
  postRoundedTransaction(
    id: string,
    description: string | (() => string),
    legs: readonly { readonly accountId: string; readonly amountEur: number }[],
  ): MicroEur {
    const postings: Posting[] = legs.map((leg) => ({
      accountId: leg.accountId,
      amountMicroEur: roundEurToMicroEur(leg.amountEur),
    }));
    let sum = 0n;
    for (const posting of postings) sum += posting.amountMicroEur;
    if (sum !== 0n) postings.push({ accountId: ROUNDING_ACCOUNT_ID, amountMicroEur: -sum });
    const text = typeof description === 'string' ? description : this.keepJournal ? description() : '';
    this.postTransaction({ id, description: text, postings });
    return -sum;
  }

  balanceOf(accountId: string): MicroEur {
    const balance = this.balancesById.get(accountId);
    if (balance === undefined)
      throw InputError.single('unknown_account', ['accountId'], `unknown account ${accountId}`);
    return balance;
  }

  /** Sum of all balances: zero for every ledger built from balanced transactions. */
  totalBalance(): MicroEur {
    let total = 0n;
    for (const balance of this.balancesById.values()) total += balance;
    return total;
  }
}
