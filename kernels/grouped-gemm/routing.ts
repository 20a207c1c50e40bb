// Rows per expert of an MoE layer: G*M routed tokens spread over G experts, uniformly or skewed
// (Zipf-like: the r-th most popular expert gets a share proportional to 1/r^ZIPF_EXPONENT, with the
// popularity order shuffled), as real MoE traffic is skewed. Seeded from the problem, so a problem
// names its counts and flops are exact.
import { createRng, shuffled } from '../../core/rng.ts';

export type Routing = 'uniform' | 'zipf';
export const ZIPF_EXPONENT = 1.1;

/**
 * How the layer routes when the problem says so (DeepSeek-V3: 256 experts, top-8): each token picks
 * topK distinct experts of `experts` (drawn one after another by popularity, repeats drawn again: top-k
 * of noisy logits in distribution), and this GPU holds experts 0..G-1 of them (an expert-parallel
 * slice when G < experts, e.g. 32 of 256 at EP=8).
 */
export interface TopKRouting {
  readonly experts: number;
  readonly topK: number;
}

const popularityCdf = (experts: number, routing: Routing, rng: ReturnType<typeof createRng>): number[] => {
  const weights = routing === 'uniform' ? new Array(experts).fill(1) : shuffled(Array.from({ length: experts }, (_, r) => 1 / (r + 1) ** ZIPF_EXPONENT), rng);
  const total = weights.reduce((a, w) => a + w, 0);
  const cdf: number[] = [];
  weights.reduce((acc, w) => (cdf.push((acc + w) / total), acc + w), 0);
  return cdf;
};

const draw = (cdf: readonly number[], u: number): number => {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

// Top-k draws of GPU-sized layers take ~0.1 s; flops, bytes, layout and workload all ask.
const memo = new Map<string, readonly number[]>();

/** Rows per expert: G*M routed rows over G experts, or (topK) M*experts/topK tokens' top-k picks seen by experts 0..G-1. */
export function expertCounts(G: number, M: number, routing: Routing, route?: TopKRouting): number[] {
  const key = JSON.stringify([G, M, routing, route]);
  const known = memo.get(key);
  if (known) return [...known];
  const counts = route ? topKCounts(G, M, routing, route) : independentCounts(G, M, routing);
  memo.set(key, counts);
  return [...counts];
}

function independentCounts(G: number, M: number, routing: Routing): number[] {
  const rng = createRng(G * 1_000_003 + M * 31 + (routing === 'zipf' ? 7 : 0));
  const cdf = popularityCdf(G, routing, rng);
  const counts = new Array(G).fill(0);
  for (let t = 0; t < G * M; t++) counts[draw(cdf, rng.next())]++;
  return counts;
}

function topKCounts(G: number, M: number, routing: Routing, { experts, topK }: TopKRouting): number[] {
  const rng = createRng(experts * 1_000_003 + topK * 7919 + M * 31 + (routing === 'zipf' ? 7 : 0));
  const cdf = popularityCdf(experts, routing, rng);
  const tokens = Math.round((M * experts) / topK);
  const counts = new Array(G).fill(0);
  const picked = new Set<number>();
  for (let t = 0; t < tokens; t++) {
    picked.clear();
    while (picked.size < topK) picked.add(draw(cdf, rng.next()));
    for (const e of picked) if (e < G) counts[e]++;
  }
  return counts;
}
