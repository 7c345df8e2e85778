/**
 * Something a test needs from the machine (Chromium, a file under ../shared, a second loopback
 * address). Outside CI a missing part skips the test, visibly, with the reason printed; under
 * CI=true nothing is skipped: the test fails with that reason.
 */
import { existsSync } from 'node:fs';

export const STRICT = process.env.CI === 'true' || process.env.CI === '1';

/** A part the test needs: the reason it is missing, or null when it is there. */
export interface Requirement {
  missing: string | null;
  /** Skip the describe/it (outside CI only, and only when the part is missing). */
  skip: boolean;
  /** Throws the reason when the part is missing (call it in beforeAll or at the top of the test). */
  assert(): void;
}

export function requirement(missing: string | null): Requirement {
  const skip = missing !== null && !STRICT;
  if (skip) console.warn(`\n*** SKIPPED (not under CI=true): ${missing} ***\n`);
  return {
    missing,
    skip,
    assert() {
      if (missing !== null) throw new Error(`missing: ${missing}${STRICT ? ' (CI=true: required)' : ''}`);
    },
  };
}

/** A file or folder the test needs. */
export function requireFile(path: string, what: string): Requirement {
  return requirement(existsSync(path) ? null : `${what}: ${path} is absent`);
}

/**
 * For a part found missing only while the test runs (e.g. an address that cannot be bound):
 * under CI=true throw, otherwise skip the running test with the reason.
 */
export function missingNow(ctx: { skip: (note?: string) => never }, reason: string): never {
  if (STRICT) throw new Error(`missing: ${reason} (CI=true: required)`);
  console.warn(`\n*** SKIPPED (not under CI=true): ${reason} ***\n`);
  return ctx.skip(reason);
}
