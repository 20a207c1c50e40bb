// The roofline (Williams, Waterman & Patterson, CACM 2009): a kernel of arithmetic intensity I
// (FLOP per byte of DRAM traffic) can reach at most min(peak FLOP/s, I x bandwidth). Pure arithmetic,
// unit-tested against hand-computed figures.

export interface Roof {
  /** FLOP/s. */
  peakFlops: number;
  /** Bytes/s. */
  bandwidth: number;
}

export type Bound = 'compute' | 'memory';

/** FLOP per byte; rows carry compulsory DRAM bytes (every input read once, every output written once). */
export function intensity(flops: number, bytes: number): number {
  return bytes > 0 ? flops / bytes : Number.POSITIVE_INFINITY;
}

/** The intensity at which the memory roof meets the compute roof. */
export function ridgePoint(roof: Roof): number {
  return roof.peakFlops / roof.bandwidth;
}

export function attainable(roof: Roof, flopPerByte: number): number {
  return Math.min(roof.peakFlops, flopPerByte * roof.bandwidth);
}

/** Which roof binds a kernel of this intensity: the lower of the two. */
export function boundBy(roof: Roof, flopPerByte: number): Bound {
  return flopPerByte >= ridgePoint(roof) ? 'compute' : 'memory';
}

/** Achieved FLOP/s as a fraction of what the binding roof allows at this intensity. */
export function fractionOfRoof(roof: Roof, flopPerByte: number, achievedFlops: number): number {
  return achievedFlops / attainable(roof, flopPerByte);
}

/** Achieved FLOP/s of a measured row. */
export function achievedFlops(flops: number, medianMs: number): number {
  return flops / (medianMs / 1e3);
}

/** Achieved DRAM bytes/s of a measured row (compulsory traffic only). */
export function achievedBandwidth(bytes: number, medianMs: number): number {
  return bytes / (medianMs / 1e3);
}
