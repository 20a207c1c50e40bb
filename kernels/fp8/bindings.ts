// The operands every block-scaled FP8 GEMM binds, in one order: e4m3 A and B, their 1x128 and
// 128x128 scales, and the output. Kernels add what is their own (a decode table, per-row experts).
import type { BindingSpec } from '../types.ts';

export const FP8_GEMM_BINDINGS: readonly BindingSpec[] = [
  { binding: 0, buffer: 'a', access: 'read' },
  { binding: 1, buffer: 'b', access: 'read' },
  { binding: 2, buffer: 'scaleA', access: 'read' },
  { binding: 3, buffer: 'scaleB', access: 'read' },
  { binding: 4, buffer: 'c', access: 'read-write' },
];
