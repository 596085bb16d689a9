// Tests of the ledger: exact balance of every transaction, the rounding rule and money conservation.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { Ledger, ROUNDING_ACCOUNT_ID } from './ledger.ts';
import { microEurToEur, roundEurToMicroEur } from './money.ts';

describe('roundEurToMicroEur', () => {
  it('rounds half to even at the micro-euro', () => {
    // 0.0000005 EUR = 0.5 µEUR is not exact in binary; use amounts whose ×10⁶ is an exact half.
    expect(roundEurToMicroEur(2.5e-6)).toBe(2n);
    expect(roundEurToMicroEur(3.5e-6)).toBe(4n);
    expect(roundEurToMicroEur(-2.5e-6)).toBe(-2n);
    expect(roundEurToMicroEur(-3.5e-6)).toBe(-4n);
    expect(roundEurToMicroEur(1.2345674)).toBe(1_234_567n);
    expect(roundEurToMicroEur(1.2345676)).toBe(1_234_568n);
    expect(roundEurToMicroEur(0)).toBe(0n);
  });

  it('rejects non-finite and unsafe amounts', () => {
    expect(() => roundEurToMicroEur(Number.NaN)).toThrow(RangeError);
    expect(() => roundEurToMicroEur(1e12)).toThrow(RangeError);
  });

  it('round-trips whole micro-euros', () => {
    expect(microEurToEur(roundEurToMicroEur(12.345678))).toBe(12.345678);
  });
});

describe('Ledger', () => {
  it('rejects a transaction that does not balance and leaves balances unchanged', () => {
    const ledger = new Ledger();
    ledger.openAccount('a', 'agent');
    ledger.openAccount('b', 'agent');
    expect(() =>
      ledger.postTransaction({
        id: 't1',
        description: 'bad',
        postings: [
          { accountId: 'a', amountMicroEur: 5n },
          { accountId: 'b', amountMicroEur: -4n },
        ],
      }),
    ).toThrow(InputError);
    expect(ledger.balanceOf('a')).toBe(0n);
    expect(ledger.transactions).toHaveLength(0);
  });

  it('rejects postings to unknown accounts, naming the posting', () => {
    const ledger = new Ledger();
    ledger.openAccount('a', 'agent');
    try {
      ledger.postTransaction({
        id: 't',
        description: '',
        postings: [
          { accountId: 'a', amountMicroEur: 1n },
          { accountId: 'x', amountMicroEur: -1n },
        ],
      });
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).issues[0].path).toEqual(['postings', 1, 'accountId']);
    }
  });

  it('books a three-leg trade with the rounding residual so it balances exactly', () => {
    const ledger = new Ledger();
    for (const id of ['buyer', 'seller', 'dso']) ledger.openAccount(id, id === 'dso' ? 'fee' : 'agent');
    // 1/3 kWh at 0.1 EUR/kWh plus a 0.02 EUR/kWh fee: legs round to −40000, 33333, 6667 → residual 0.
    const eKwh = 1 / 3;
    const residual = ledger.postRoundedTransaction('t', 'trade', [
      { accountId: 'buyer', amountEur: -eKwh * 0.12 },
      { accountId: 'seller', amountEur: eKwh * 0.1 },
      { accountId: 'dso', amountEur: eKwh * 0.02 },
    ]);
    expect(ledger.balanceOf('buyer')).toBe(-40_000n);
    expect(ledger.balanceOf('seller')).toBe(33_333n);
    expect(ledger.balanceOf('dso')).toBe(6_667n);
    expect(residual).toBe(0n);
    expect(ledger.totalBalance()).toBe(0n);
  });

  it('sends what rounding leaves over to the residual account', () => {
    const ledger = new Ledger();
    for (const id of ['buyer', 'seller', 'dso']) ledger.openAccount(id, 'agent');
    // Legs 0.0000014, −0.0000007·2: round to 1, −1, −1 µEUR → residual +1 µEUR.
    const residual = ledger.postRoundedTransaction('t', 'trade', [
      { accountId: 'seller', amountEur: 1.4e-6 },
      { accountId: 'buyer', amountEur: -0.7e-6 },
      { accountId: 'dso', amountEur: -0.7e-6 },
    ]);
    expect(residual).toBe(1n);
    expect(ledger.balanceOf(ROUNDING_ACCOUNT_ID)).toBe(1n);
    expect(ledger.totalBalance()).toBe(0n);
  });

  it('conserves money over many generated trades (money in = money out)', () => {
    const ledger = new Ledger();
    const ids = ['a', 'b', 'c', 'd', 'fee'];
    for (const id of ids) ledger.openAccount(id, 'agent');
    let paidMicro = 0n;
    let receivedMicro = 0n;
    for (let k = 1; k <= 2000; k++) {
      // A deterministic, irregular sequence of energies and prices (Weyl sequences).
      const eKwh = ((k * 0.618033988749895) % 1) * 37.3;
      const priceEurPerKwh = ((k * 0.414213562373095) % 1) * 0.5;
      const feeEurPerKwh = ((k * 0.732050807568877) % 1) * 0.05;
      const buyer = ids[k % 4];
      const seller = ids[(k + 1 + (k % 3)) % 4];
      ledger.postRoundedTransaction(`t${k}`, 'trade', [
        { accountId: buyer, amountEur: -eKwh * (priceEurPerKwh + feeEurPerKwh) },
        { accountId: seller, amountEur: eKwh * priceEurPerKwh },
        { accountId: 'fee', amountEur: eKwh * feeEurPerKwh },
      ]);
      const last = ledger.transactions[ledger.transactions.length - 1];
      let sum = 0n;
      for (const posting of last.postings) {
        sum += posting.amountMicroEur;
        if (posting.amountMicroEur < 0n) paidMicro -= posting.amountMicroEur;
        else receivedMicro += posting.amountMicroEur;
        // Each leg is within half a micro-euro of its exact value; the residual within 1.5 µEUR.
      }
      expect(sum).toBe(0n);
    }
    expect(paidMicro).toBe(receivedMicro);
    expect(ledger.totalBalance()).toBe(0n);
    // Rounding half to even per leg: the residual stays tiny relative to 2000 transactions.
    const residual = ledger.balanceOf(ROUNDING_ACCOUNT_ID);
    expect(residual <= 2000n && residual >= -2000n).toBe(true);
  });

  it('formats a lazy description only for a kept journal, with the same balances either way', () => {
    const legs = [
      { accountId: 'a', amountEur: -1.25 },
      { accountId: 'b', amountEur: 1.25 },
    ];
    const kept = new Ledger();
    const lean = new Ledger({ keepJournal: false });
    let calls = 0;
    const formatDescription = () => {
      calls++;
      return '1 kWh b → a';
    };
    for (const ledger of [kept, lean]) {
      ledger.openAccount('a', 'agent');
      ledger.openAccount('b', 'agent');
    }
    kept.postRoundedTransaction('t', formatDescription, legs);
    expect(calls).toBe(1);
    expect(kept.transactions[0].description).toBe('1 kWh b → a');
    lean.postRoundedTransaction('t', formatDescription, legs);
    expect(calls).toBe(1);
    expect(lean.transactionCount).toBe(1);
    for (const id of ['a', 'b']) expect(lean.balanceOf(id)).toBe(kept.balanceOf(id));
    expect(lean.balanceOf('a')).toBe(-1_250_000n);
  });
});
