// Reads a text file for an importer, turning a missing or unreadable file into an InputError that names the path.
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.ts';

/** UTF-8 contents of `path` (a leading byte-order mark is dropped); InputError `file_not_found` if absent. */
export function readTextFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw InputError.single('file_not_found', [path], `file not found: ${path}`);
    if (code === 'EISDIR')
      throw InputError.single('not_a_file', [path], `expected a file but found a directory: ${path}`);
    throw InputError.single('file_unreadable', [path], `cannot read ${path}: ${(error as Error).message}`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
