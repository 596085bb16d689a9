// Public API of the io edge: importers (MATPOWER, CIGRE, IEEE European LV), network JSON and the case registry.
export { bundledCasePath, listBundledCases, loadCase, readNetworkFile } from './case-registry.ts';
export {
  type CigreDer,
  type CigreImportOptions,
  CLOSED_SWITCH_REACTANCE_PU,
  isCigreDocument,
  parseCigreNetwork,
  readCigreNetwork,
} from './cigre/parse-cigre.ts';
export {
  type IeeeEuropeanLvLoadProfiles,
  readIeeeEuropeanLvLoadProfiles,
} from './ieee-european-lv/load-profiles.ts';
export { type IeeeEuropeanLvOptions, readIeeeEuropeanLv } from './ieee-european-lv/read-ieee-european-lv.ts';
export {
  type MatpowerImportOptions,
  parseMatpowerCase,
  readMatpowerCase,
} from './matpower/parse-matpower.ts';
export { networkFromJson, networkToJson, readNetworkJsonFile, writeNetworkJsonFile } from './network-json.ts';
