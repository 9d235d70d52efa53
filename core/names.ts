/**
 * The one rule for names people see in each other's lists (display names, group names): at most
 * MAX_NAME_CHARS characters, well-formed Unicode, no control characters (C0, DEL, C1) and no bidi
 * embedding/override/isolate characters, which would let a member spoof layout or other names in
 * every member's UI. Used by the account store, the metadata codec and (through the contract's
 * limits) the UI. Imports only the contract's constants.
 */
import { MAX_NAME_CHARS } from './api/constants'

export { MAX_NAME_CHARS }

export type NameProblem = 'not-a-string' | 'empty' | 'too-long' | 'invalid-characters'

// \p{Cc}: C0, DEL and C1; \p{Cs}: a lone surrogate (in u-mode a valid pair is one code point, not
// Cs); the rest: bidi embeddings, overrides and isolates.
const FORBIDDEN = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u

/** Why `name` is not acceptable, or undefined when it is. `allowEmpty` for group names. */
export function nameProblem(name: unknown, opts: { allowEmpty?: boolean } = {}): NameProblem | undefined {
  if (typeof name !== 'string') return 'not-a-string'
  if (!opts.allowEmpty && name.trim().length === 0) return 'empty'
  if ([...name].length > MAX_NAME_CHARS) return 'too-long'
  if (FORBIDDEN.test(name)) return 'invalid-characters'
  return undefined
}

export const NAME_PROBLEM_TEXT: Record<NameProblem, string> = {
  'not-a-string': 'must be a string',
  empty: 'is empty',
  'too-long': `is longer than ${MAX_NAME_CHARS} characters`,
  'invalid-characters': 'contains control or bidi-override characters'
}
