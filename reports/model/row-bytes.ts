// A row's compulsory bytes, counted again from its problem and element types through its family's one
// `bytes` function (kernels/element-types.ts), rather than read from the row: older files counted
// our CUDA GEMM's BF16 output as 4-byte floats while the peers' rows counted 2, which put one problem
// at two intensities on the roofline (247 against 478 FLOP/byte at 4096x32768x512).
import type { ResultRow } from '../../core/results.ts';
import { rowElementTypes } from '../../kernels/element-types.ts';
import { families } from '../../kernels/registry.ts';
import { roofOf } from '../../kernels/roofs/roof.ts';

/**
 * The family's count for the row's problem and types; the row's own field for a kernel we do not know,
 * and for a roof measured beside a kernel (a copy, cuBLAS at 8192 cubed), whose work is its own.
 */
export function recountBytes(row: ResultRow): number {
  const family = families[row.kernel];
  if (!family || roofOf(row.config)) return row.bytes;
  try {
    const bytes = family.bytes(row.problem, rowElementTypes(row.config));
    return Number.isFinite(bytes) && bytes > 0 ? bytes : row.bytes;
  } catch {
    // A problem this version of the family cannot read (an older file's shape): keep what the row says.
    return row.bytes;
  }
}
