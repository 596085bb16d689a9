// Ledger account ids of the system simulation: prosumers, platforms, DSOs, retailers, TSO, generators, aggregates.

/** Account id grammar `<role>:<id>`; the TSO is the market operator of the wholesale (DA/ID/RT) markets. */
export const accountIds = {
  prosumer: (id: string) => `prosumer:${id}`,
  platform: (id: string) => `platform:${id}`,
  dso: (id: string) => `dso:${id}`,
  /** The retailer and balance-responsible party of one DSO area. */
  retailer: (dsoId: string) => `retailer:${dsoId}`,
  /** The (replicas − 1) identical feeders a simulated feeder stands for, as one customer account. */
  replicaCustomers: (platformId: string) => `replica-customers:${platformId}`,
  /** MV customers of a DSO not modelled as prosumers. */
  mvLoads: (dsoId: string) => `mv-loads:${dsoId}`,
  tso: 'tso',
  generators: 'generators',
  /** Transmission-connected aggregate load (the rest of each bus's load). */
  aggregateLoads: 'aggregate-loads',
} as const;
