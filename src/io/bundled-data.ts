// Locates the reference data bundled with the package (data/), relative to this module rather than the cwd.
import { fileURLToPath } from 'node:url';

/** Absolute path of `data/<relative>` in the installed package. */
export function bundledDataPath(relative: string): string {
  return fileURLToPath(new URL(`../../data/${relative}`, import.meta.url));
}

/** The bundled IEEE European LV Test Feeder CSV package. */
export const bundledIeeeEuropeanLvDir = (): string => bundledDataPath('lv/ieee_european_lv');
