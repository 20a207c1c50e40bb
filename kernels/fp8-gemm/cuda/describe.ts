// A config in one short line for logs (the sweep's "best" line): the tile, the pipeline, and every
// schedule option that is on, so that two configs that differ print differently.
import type { CudaGemmConfig } from './space.ts';

export function describeCudaGemmConfig(c: CudaGemmConfig): string {
  if (c.kernel === 'simt') return `simt ${c.out}`;
  const parts = [`${c.blockM}x${c.blockN}`, `s${c.stages}`, `wg${c.mathWarpgroups}`, `${c.accBuffers} set${c.accBuffers > 1 ? 's' : ''}`];
  if (c.subTilesInTurn) parts.push(`in turn${c.turnUnroll ? ` x${c.turnUnroll}` : ''}`);
  if (c.smemScales) parts.push(c.tmaScales ? 'staged scales by TMA' : 'staged scales');
  if (c.tryAhead) parts.push('try ahead');
  if (c.waitAhead) parts.push('wait ahead');
  if (c.storeBySubTile) parts.push('stored by sub-tile');
  if (c.overlapStore) parts.push('overlapped store');
  if (c.stagger) parts.push('stagger');
  if (c.swapAB) parts.push('swapped');
  if (c.splitTail) parts.push('split tail');
  if (c.cluster > 1) parts.push(`pair${c.cluster > 2 ? `s of ${c.cluster}` : ''} along ${c.clusterAlong}`);
  if (c.balancedGrid) parts.push('balanced');
  parts.push(`${c.raster}${c.rasterGroup ? `/${c.rasterGroup}` : ''}`);
  parts.push(c.epilogue ?? 'threads');
  if (c.out !== 'bf16') parts.push(c.out);
  if (c.ffmaYield) parts.push(`yield/${c.ffmaYield}`);
  if (c.fault) parts.push(`fault ${c.fault}`);
  return parts.join(' ');
}
