// What each simulated run is: the report's and the CLI's definition of "baseline" and of the coordinations.

/** Name of the reference run every difference in the report is taken against (run − baseline). */
export const BASELINE_RUN = 'baseline';

const RUN_DEFINITIONS: Readonly<Record<string, string>> = {
  [BASELINE_RUN]:
    'the same study without home energy management and without P2P trading: every prosumer follows its ' +
    'inflexible schedule (PV uncurtailed, batteries idle, EVs charging at full power on arrival, heat pumps as ' +
    'thermostats, shiftable loads at their earliest start) and pays the flat retail prices of coordination none.',
  none:
    'home energy management and P2P markets on every platform; platforms ignore the grid: every location sees the ' +
    'same flat retail prices (wholesale + margin + network charge) and P2P trades pay no network fee.',
  'dso-pricing':
    'home energy management and P2P markets under the DSO’s day-ahead locational prices (chance-constrained ' +
    'DLMPs per LV feeder): import and export prices carry the DLMP’s loss, congestion and voltage components and ' +
    'a P2P trade pays their difference between buyer and seller.',
  negotiation:
    'home energy management and P2P markets under prices each DSO and its platforms agreed day-ahead by ' +
    'consensus ADMM over messages (offers with uncertainty envelopes and bid curves, counter-offers with accepted ' +
    'positions, prices and bands): one price adder per feeder on top of the flat tariff, zero where no limit binds.',
  centralised:
    'the welfare reference: the DSO’s deterministic DLMP dispatch of every LV feeder on the point forecasts ' +
    '(members’ flexibility, LinDistFlow voltage and thermal limits, AC loss factors) at the wholesale price of the ' +
    'TSO’s DC OPF with MV-clipped bids; households pay their DLMP-based prices.',
};

/** One sentence saying what a run is (coordinations without an entry are named only). */
export function describeRun(name: string): string {
  return RUN_DEFINITIONS[name] ?? `the study under coordination ${name}.`;
}

/** One line for plain-text output under the value table. */
export const BASELINE_NOTE = `${BASELINE_RUN}: ${RUN_DEFINITIONS[BASELINE_RUN]}`;
