// The HTTP API (/v1) as one route table, in the order OpenAPI lists it: one file per resource. Every state change
// is one database transaction and is answered after COMMIT.
import type { ServiceContext } from '../../service-context.ts';
import type { RouteSpec } from '../route-spec.ts';
import { adminClockRoutes } from './admin.ts';
import { credentialRoutes } from './credentials.ts';
import { ledgerRoutes } from './ledger.ts';
import { marketRoutes } from './market.ts';
import { memberRoutes } from './members.ts';
import { meterReadingRoutes } from './meter-readings.ts';
import { orderRoutes } from './orders.ts';
import { platformRoutes } from './platforms.ts';
import { priceRoutes } from './prices.ts';
import { settlementRoutes } from './settlements.ts';

export function buildRoutes(ctx: ServiceContext, options: { readonly isManualClock: boolean }): RouteSpec[] {
  return [
    ...platformRoutes(ctx),
    ...memberRoutes(ctx),
    ...credentialRoutes(ctx),
    ...orderRoutes(ctx),
    ...marketRoutes(ctx),
    ...priceRoutes(ctx),
    ...meterReadingRoutes(ctx),
    ...settlementRoutes(ctx),
    ...ledgerRoutes(ctx),
    ...(options.isManualClock ? adminClockRoutes(ctx) : []),
  ];
}
