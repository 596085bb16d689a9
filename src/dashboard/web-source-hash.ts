// Fingerprint of the dashboard's sources (web/**, and the locked versions of the libraries it bundles), recorded
// in dist/web/source-hash.txt by `npm run build:web` so a test can tell when the committed build is stale.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const BUNDLED_PACKAGES = ['echarts', 'cytoscape', 'vite'] as const;

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** SHA-256 over web/'s files (path + bytes, sorted by path) and the lock file's versions of BUNDLED_PACKAGES. */
export function computeWebSourceHash(repoRoot: string): string {
  const hash = createHash('sha256');
  const webDir = join(repoRoot, 'web');
  for (const file of listFiles(webDir).sort()) {
    hash.update(`${relative(webDir, file).split('\\').join('/')}\n`);
    hash.update(readFileSync(file));
  }
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  for (const name of BUNDLED_PACKAGES)
    hash.update(`${name}@${lock.packages[`node_modules/${name}`]?.version}\n`);
  return hash.digest('hex');
}
