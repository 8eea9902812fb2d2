const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** A scenario-clock duration (`90s`, `14m`, `1h`; validated by the step's schema) in milliseconds. */
export function durationMs(d: string): number {
  return Number(d.slice(0, -1)) * UNIT_MS[d.at(-1) as keyof typeof UNIT_MS];
}
