// The tile order of the sm_90a FP8 GEMM's persistent CTAs, part of the kernel template (kernel.ts
// places it after the constants, before everything that walks tiles): tile t of a CTA's walk to the
// coordinates of its (cluster-sized) tile, from the launch's raster argument (template.ts,
// rasterArgument: the direction plus twice the group width).
export const RASTER_TEMPLATE = String.raw`struct TileCoord { int m0; int n0; };

// Grouped raster, the launch's raster = direction + 2 x group width: direction 0 walks along M inside a
// group of G N tiles, 1 along N inside a group of G M tiles, so the CTAs in flight share A or B tiles
// in L2 (a wave over G tiles across reads G tiles of one operand and wave / G of the other).
__device__ __forceinline__ TileCoord tile_coord(int t, int tilesM, int tilesN, int raster) {
  const int G = raster >> 1;
  if ((raster & 1) == 0) {
    const int group = t / (G * tilesM);
    const int first = group * G;
    const int width = min(tilesN - first, G);
    const int r = t - group * G * tilesM;
    return { (r / width) * SUPER_M, (first + r % width) * SUPER_N };
  }
  const int group = t / (G * tilesN);
  const int first = group * G;
  const int width = min(tilesM - first, G);
  const int r = t - group * G * tilesN;
  return { (first + r % width) * SUPER_M, (r / width) * SUPER_N };
}
`;
