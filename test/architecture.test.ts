// Architecture rules checked on the source tree: the layer rule (no import from the core layers to the edges) and
// the file-size rule (no non-test source file over 400 lines).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/**
 * The layer rule (README "Architecture"): dependencies point up the list core · ledger · numeric · time → grid →
 * formulations → problems → ders · uncertainty · markets · settlement → coordination → hierarchy → planning · value,
 * and never to the edges io · studies · cli · service, which read and write files, serve HTTP and parse arguments.
 * The layers below receive data, never paths. `scenario` holds both the pure study schema and the readers of
 * scenario files on disk: the core layers may import only its pure files (below), never its readers.
 * Test files may load fixture data through the edges and are not checked.
 */
const CORE_LAYERS = [
  'core',
  'ledger',
  'numeric',
  'time',
  'grid',
  'formulations',
  'problems',
  'ders',
  'uncertainty',
  'markets',
  'settlement',
  'coordination',
  'hierarchy',
  'planning',
  'value',
];
const EDGES = ['io', 'service', 'cli', 'studies', 'dashboard'];
/** Files of src/scenario that read no files (the others — load-scenario, generate-scenario, index — do). */
const PURE_SCENARIO_FILES = [
  'schema.ts',
  'validate-scenario.ts',
  'profile-sources.ts',
  'net-loads.ts',
  'draw-household.ts',
];

const MAX_LINES = 400;

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : /\.(ts|js|mjs)$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );

const isTest = (file: string) => /\.test\.ts$/.test(file);
const files = sourceFiles(SRC).map((f) => relative(SRC, f).split('\\').join('/'));

/** Every module specifier of static imports and re-exports (type-only included) and of dynamic import(). */
function importSpecifiers(text: string): string[] {
  const specifiers: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?(?:[\w*\s{},$]*?\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) specifiers.push(m[1]);
  return specifiers;
}

/** The src-relative target of a relative specifier from `file` (undefined for packages and node: modules). */
const targetOf = (file: string, specifier: string): string | undefined =>
  specifier.startsWith('.')
    ? normalize(join(dirname(file), specifier))
        .split('\\')
        .join('/')
    : undefined;

describe('architecture', () => {
  it('finds imports of every form (self-check of the parser)', () => {
    const text = [
      "import { a } from '../io/a.ts';",
      "import type { B } from './b.ts';",
      "export * from '../cli/c.ts';",
      "export { d, type E } from '../d.ts';",
      "import '../side-effect.ts';",
      "const { f } = await import('../service/f.ts');",
      'import {\n  g,\n  h,\n} from "../g.ts";',
    ].join('\n');
    expect(importSpecifiers(text).sort()).toEqual(
      [
        '../cli/c.ts',
        '../d.ts',
        '../g.ts',
        '../io/a.ts',
        '../service/f.ts',
        '../side-effect.ts',
        './b.ts',
      ].sort(),
    );
    expect(files.length).toBeGreaterThan(100);
  });

  it('has no import from a core layer to an edge, nor to scenario files that read from disk', () => {
    const violations: string[] = [];
    for (const file of files) {
      const layer = file.split('/')[0];
      if (isTest(file) || !CORE_LAYERS.includes(layer)) continue;
      for (const specifier of importSpecifiers(readFileSync(join(SRC, file), 'utf8'))) {
        const target = targetOf(file, specifier);
        if (!target) continue;
        const [targetLayer, ...rest] = target.split('/');
        if (EDGES.includes(targetLayer)) violations.push(`${file} → ${target}`);
        if (targetLayer === 'scenario' && !PURE_SCENARIO_FILES.includes(rest.join('/')))
          violations.push(`${file} → ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it(`has no non-test source file over ${MAX_LINES} lines`, () => {
    const lineCount = (file: string) =>
      readFileSync(join(SRC, file), 'utf8').replace(/\n$/, '').split('\n').length;
    expect(files.filter((f) => !isTest(f) && lineCount(f) > MAX_LINES)).toEqual([]);
  });
});
