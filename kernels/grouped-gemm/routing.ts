// Rows per expert of an MoE layer: G*M routed tokens spread over G experts, uniformly or skewed
// (Zipf-like: the r-th most popular expert gets a share proportional to 1/r^ZIPF_EXPONENT, with the
// popularity order shuffled), as real MoE traffic is skewed. Seeded from the problem, so a problem
// names its counts and flops are exact.
import { createRng, shuffled } from '../../core/rng.ts';

export type Routing = 'uniform' | 'zipf';
export const ZIPF_EXPONENT = 1.1;

export function expertCounts(G: number, M: number, routing: Routing): number[] {
  const rng = createRng(G * 1_000_003 + M * 31 + (routing === 'zipf' ? 7 : 0));
  const weights = routing === 'uniform' ? new Array(G).fill(1) : shuffled(Array.from({ length: G }, (_, r) => 1 / (r + 1) ** ZIPF_EXPONENT), rng);
  const total = weights.reduce((a, w) => a + w, 0);
  const cdf: number[] = [];
  weights.reduce((acc, w) => (cdf.push((acc + w) / total), acc + w), 0);
  const counts = new Array(G).fill(0);
  for (let t = 0; t < G * M; t++) {
    const u = rng.next();
    let lo = 0;
    let hi = G - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]++;
  }
  return counts;
}
