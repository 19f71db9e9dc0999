/** The median of timing samples, for every bench section. */
export const median = (samples: number[]): number => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

/** The `p`th percentile of timing samples (the sample below which `p` % fall; NaN with none). */
export const percentile = (samples: number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** Counts by outcome as a bench row prints them: `200×480 503×20`. */
export const counted = (counts: Map<number | string, number>): string => [...counts].map(([k, v]) => `${k}×${v}`).join(' ');
