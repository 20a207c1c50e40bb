// What one main loop (config.ts, `loop`) puts into the kernel template (kernel.ts): only the chosen
// loop is emitted, so a generated kernel reads as if written for that schedule. Each piece is CUDA
// text placed at its mark in the consumer; the loop's options are constexpr constants of its own.
export interface MainLoopCode {
  /** The loop's own constants (its options, filled by field name: template.ts), after the kernel's. */
  constants: string;
  /** Declarations of the math thread's state before the descriptors (accumulator sets, the stagger). */
  state: string;
  /** After the descriptors, before the tile walk: helpers, and a first block issued ahead. */
  beforeTiles: string;
  /** One tile's K blocks k0 .. k1 - 1 (L of them), into `total`. */
  tile: string;
  /** After the last tile (and its stores): the spare block issued ahead, if any. */
  afterTiles: string;
}
