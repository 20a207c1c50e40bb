// A config in one short line for logs (the sweep's "best" line): the tile and pipeline, the main loop
// with its options, then the cluster, grid, raster and epilogue, so that two configs that differ
// print differently.
import type { CudaGemmConfig, HopperGemmConfig } from './config.ts';

const SCALES = { ring: '', 'scale-warp': ' scales by scale warp', tma: ' scales by TMA' } as const;

function mainLoop(c: HopperGemmConfig): string {
  switch (c.loop) {
    case 'two-sets':
      return `2 sets${c.overlapStore ? ' overlapped store' : ''}`;
    case 'one-set':
      return `1 set${SCALES[c.scales]}${c.waitAhead ? ' wait ahead' : ''}${c.scales === 'ring' && c.stagger ? ' stagger' : ''}`;
    case 'in-turn':
      return `in turn x${c.turnUnroll}${SCALES[c.scales]}${c.scales === 'ring' && c.waitAhead ? ' wait ahead' : ''}`;
  }
}

export function describeCudaGemmConfig(c: CudaGemmConfig): string {
  if (c.kernel === 'simt') return `simt ${c.out}${c.fault ? ` fault ${c.fault}` : ''}`;
  if (c.kernel === 'gemv') {
    const combine = c.splits > 1 ? ` ${c.combine === 'launch' ? 'combined by a launch' : 'combined by the last CTA'}` : '';
    return `gemv ${c.warps} warps x ${8 * c.rowGroups} rows unroll ${c.unroll} split ${c.splits}${combine}${c.out !== 'bf16' ? ` ${c.out}` : ''}${c.fault ? ` fault ${c.fault}` : ''}`;
  }
  const parts = [`${c.blockM}x${c.blockN}`, `s${c.stages}`, `wg${c.mathWarpgroups}`, mainLoop(c)];
  if (c.swapAB) parts.push('swapped');
  if (c.cluster > 1) parts.push(`pair${c.cluster > 2 ? `s of ${c.cluster}` : ''} along ${c.clusterAlong}`);
  if (c.grid !== 'full') parts.push(c.grid === 'split-tail' ? 'split tail' : 'balanced');
  parts.push(`${c.raster}${c.rasterGroup ? `/${c.rasterGroup}` : ''}`);
  parts.push(c.epilogue === 'tma-by-sub-tile' ? 'tma by sub-tile' : c.epilogue);
  if (c.out !== 'bf16') parts.push(c.out);
  if (c.ffmaYield) parts.push(`yield/${c.ffmaYield}`);
  if (c.fault) parts.push(`fault ${c.fault}`);
  return parts.join(' ');
}
