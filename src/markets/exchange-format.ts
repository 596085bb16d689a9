// The market-clearing exchange format (data/markets/*.json): zod schema, cross-field checks and the book it builds.
import { z } from 'zod';
import { InputError, type InputIssue, parseInput } from '../core/errors.ts';
import { buildMarketBook, canBuy, canSell, type MarketBook } from './book.ts';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const marketAgentSchema = z.object({
  id: z.string().min(1),
  eMinKwh: finite,
  eMaxKwh: finite,
  costQuadEurPerKwh2: finite.refine((v) => v >= 0, 'must be ≥ 0 (convex cost)'),
  costLinEurPerKwh: finite,
});

const pairSchema = z.tuple([z.string().min(1), z.string().min(1)]);

/** Exchange format of one single-interval market (shared/data/README.md, convention of Sorin et al. 2019). */
export const marketFileSchema = z.object({
  currency: z.string().default('EUR'),
  agents: z.array(marketAgentSchema),
  trades: z.union([z.literal('all'), z.array(pairSchema)]),
  tradeCosts: z
    .array(z.object({ buyer: z.string().min(1), seller: z.string().min(1), costEurPerKwh: finite }))
    .default([]),
});

export type MarketFile = z.infer<typeof marketFileSchema>;

/** Cross-field checks the schema cannot express; each issue names the offending field. */
function checkMarketFile(file: MarketFile): InputIssue[] {
  const issues: InputIssue[] = [];
  const indexById = new Map<string, number>();
  file.agents.forEach((agent, i) => {
    if (indexById.has(agent.id))
      issues.push({
        code: 'duplicate_id',
        path: ['agents', i, 'id'],
        message: `duplicate agent id ${agent.id}`,
      });
    indexById.set(agent.id, i);
    if (agent.eMinKwh > agent.eMaxKwh)
      issues.push({
        code: 'invalid_bounds',
        path: ['agents', i, 'eMinKwh'],
        message: `eMinKwh (${agent.eMinKwh}) is greater than eMaxKwh (${agent.eMaxKwh})`,
      });
  });
  const checkPair = (
    buyer: string,
    seller: string,
    path: (string | number)[],
    field: readonly [string | number, string | number],
  ) => {
    const b = indexById.get(buyer);
    const s = indexById.get(seller);
    if (b === undefined)
      issues.push({ code: 'unknown_id', path: [...path, field[0]], message: `unknown agent id ${buyer}` });
    if (s === undefined)
      issues.push({ code: 'unknown_id', path: [...path, field[1]], message: `unknown agent id ${seller}` });
    if (b === undefined || s === undefined) return;
    if (b === s)
      issues.push({ code: 'self_trade', path, message: `agent ${buyer} cannot trade with itself` });
    else if (!canBuy(file.agents[b]))
      issues.push({
        code: 'cannot_buy',
        path: [...path, field[0]],
        message: `agent ${buyer} cannot buy (eMinKwh ≥ 0)`,
      });
    else if (!canSell(file.agents[s]))
      issues.push({
        code: 'cannot_sell',
        path: [...path, field[1]],
        message: `agent ${seller} cannot sell (eMaxKwh ≤ 0)`,
      });
  };
  const allowed = new Set<string>();
  if (file.trades !== 'all') {
    file.trades.forEach(([buyer, seller], j) => {
      const key = `${buyer}\u0000${seller}`;
      if (allowed.has(key))
        issues.push({
          code: 'duplicate_pair',
          path: ['trades', j],
          message: `duplicate pair [${buyer}, ${seller}]`,
        });
      allowed.add(key);
      checkPair(buyer, seller, ['trades', j], [0, 1]);
    });
  }
  file.tradeCosts.forEach((cost, j) => {
    checkPair(cost.buyer, cost.seller, ['tradeCosts', j], ['buyer', 'seller']);
    if (file.trades !== 'all' && !allowed.has(`${cost.buyer}\u0000${cost.seller}`))
      issues.push({
        code: 'pair_not_allowed',
        path: ['tradeCosts', j],
        message: `trade cost for [${cost.buyer}, ${cost.seller}], which is not an allowed pair`,
      });
  });
  return issues;
}

/** Validate an already-parsed JSON value and build the book; throws an InputError naming each bad field. */
export function parseMarketFile(value: unknown, prefix: readonly (string | number)[] = []): MarketBook {
  const file = parseInput(marketFileSchema, value, prefix);
  const issues = checkMarketFile(file);
  if (issues.length > 0)
    throw new InputError(issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] })));
  const indexById = new Map(file.agents.map((agent, i) => [agent.id, i]));
  const costByPair = new Map<string, number>();
  for (const cost of file.tradeCosts)
    costByPair.set(`${indexById.get(cost.buyer)}:${indexById.get(cost.seller)}`, cost.costEurPerKwh);
  const pairs =
    file.trades === 'all'
      ? 'all'
      : file.trades.map(([buyer, seller]) => [indexById.get(buyer)!, indexById.get(seller)!] as const);
  return buildMarketBook(file.agents, pairs, (b, s) => costByPair.get(`${b}:${s}`) ?? 0);
}

/** Parse the text of a market file (JSON); malformed JSON is an InputError at the file's root. */
export function parseMarketText(text: string, prefix: readonly (string | number)[] = []): MarketBook {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw InputError.single('invalid_json', [...prefix], `malformed JSON: ${(error as Error).message}`);
  }
  return parseMarketFile(value, prefix);
}
