// After `vite build`: write the dashboard source fingerprint next to the built assets (see src/dashboard/web-source-hash.ts).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { computeWebSourceHash } from '../src/dashboard/web-source-hash.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
writeFileSync(`${root}/dist/web/source-hash.txt`, `${computeWebSourceHash(root)}\n`);
