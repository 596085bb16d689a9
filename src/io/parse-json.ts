// JSON text → unknown value, with a syntax error reported as an InputError naming the source.
import { InputError } from '../core/errors.ts';

/** JSON.parse with a syntax error reported as an InputError `invalid_json` naming the source. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw InputError.single('invalid_json', [source], `not valid JSON: ${(error as Error).message}`);
  }
}
