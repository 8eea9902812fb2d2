import { HarnessError } from '../errors/harness-error.ts';

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off', ''];

/**
 * A boolean SKEW_* variable. Only the usual spellings count: anything else is refused, since
 * reading `SKEW_CONTROL=yes` or `SKEW_JSON=maybe` as false would silently run something else.
 */
export function envBoolean(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  throw new HarnessError(
    'INVALID_OPTION',
    `$${name} = ${JSON.stringify(value)} is not valid: a yes or a no`,
    `set ${name} to ${TRUE.join(', ')} (yes) or ${FALSE.filter(Boolean).join(', ')} or empty (no), or unset it`,
  );
}
