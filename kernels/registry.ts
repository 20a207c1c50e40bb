// Kernel families by name: the one place the CLI and the tuner look them up.
import { message, UsageError } from '../core/errors.ts';
import { copy } from './copy/index.ts';
import { fp8Gemm } from './fp8-gemm/index.ts';
import { groupedGemm } from './grouped-gemm/index.ts';
import { mhaDecode } from './mha-decode/index.ts';
import { mlaDecode } from './mla-decode/index.ts';
import type { AnyKernelFamily } from './types.ts';

export const families: Readonly<Record<string, AnyKernelFamily>> = {
  [fp8Gemm.name]: fp8Gemm,
  [mlaDecode.name]: mlaDecode,
  [mhaDecode.name]: mhaDecode,
  [groupedGemm.name]: groupedGemm,
  [copy.name]: copy,
};

export function familyByName(name: string): AnyKernelFamily {
  const family = families[name];
  if (!family) throw new UsageError(message.unknownKernel(name, Object.keys(families)));
  return family;
}
