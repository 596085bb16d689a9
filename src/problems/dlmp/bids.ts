// Flexible price–quantity bids of prosumers and distributed generators for the distribution OPF (schema + index).
import { z } from 'zod';
import { InputError, parseInput } from '../../core/errors.ts';
import type { IndexedNetwork } from '../../grid/indexed-network.ts';
import { elementIdSchema } from '../../grid/schema.ts';

const finite = () => z.number().refine(Number.isFinite, 'must be a finite number');

/**
 * A flexible bid at a bus. `generation`: injects p ∈ [pMinMw, pMaxMw] at cost c1·p + c2·p² (per h). `demand`:
 * consumes d ∈ [pMinMw, pMaxMw] with utility c1·d − c2·d² (its marginal value starts at c1 and falls by 2·c2 per MW).
 * Prices are in the case's cost unit per MWh (EUR for gridnest scenarios). Bids are active power only: reactive
 * power of the bus stays at its fixed value.
 */
export const flexBidSchema = z
  .object({
    id: elementIdSchema,
    bus: elementIdSchema,
    kind: z.enum(['generation', 'demand']),
    pMinMw: finite()
      .refine((v) => v >= 0, 'must be non-negative')
      .default(0),
    pMaxMw: finite().refine((v) => v >= 0, 'must be non-negative'),
    c1PerMwh: finite(),
    c2PerMw2H: finite()
      .refine((v) => v >= 0, 'must be non-negative (convex cost, concave utility)')
      .default(0),
  })
  .refine((bid) => bid.pMinMw <= bid.pMaxMw, { message: 'pMinMw must not exceed pMaxMw', path: ['pMinMw'] });
export type FlexBid = z.infer<typeof flexBidSchema>;
export type FlexBidInput = z.input<typeof flexBidSchema>;

export const flexBidsSchema = z.array(flexBidSchema);

/** A bid with its bus index, as the LP builder uses it. */
export interface IndexedBid {
  readonly bus: number;
  readonly isDemand: boolean;
  readonly pMinMw: number;
  readonly pMaxMw: number;
  readonly c1PerMwh: number;
  readonly c2PerMw2H: number;
}

/** Validate bids and resolve their buses; InputError naming `bids[i].bus` for an unknown bus. */
export function indexBids(net: IndexedNetwork, bids: readonly FlexBidInput[]): IndexedBid[] {
  const parsed = parseInput(flexBidsSchema, bids, ['bids']);
  return parsed.map((bid, i) => {
    const bus = net.busIndexById.get(bid.bus);
    if (bus === undefined) {
      throw InputError.single('unknown_bus', ['bids', i, 'bus'], `no in-service bus "${bid.bus}"`);
    }
    return {
      bus,
      isDemand: bid.kind === 'demand',
      pMinMw: bid.pMinMw,
      pMaxMw: bid.pMaxMw,
      c1PerMwh: bid.c1PerMwh,
      c2PerMw2H: bid.c2PerMw2H,
    };
  });
}
