// The tile walk of the sm_90a FP8 GEMM template as fields of its own, so that a kernel over a list of
// products (the grouped GEMM: kernels/grouped-gemm/cuda/schedule.ts) reuses the template's producer,
// main loops, promotion and epilogue with only its walk replaced. DENSE_WALK is the one product's walk
// and fills the fields with the template's text as it was before they existed, so every fp8-gemm
// config's source (hence its machine code) is unchanged.
import { SPARE_LOAD } from './producer.ts';

export interface TileWalkCode {
  /** Device functions the walk needs, placed after the tile order (raster.ts), before the producer. */
  readonly walkFunctions: string;
  /** Kernel parameters after the last of the dense kernel's (each with its leading comma). */
  readonly walkParams: string;
  /** Statements at the kernel's start, before the tile counts (all threads run them). */
  readonly walkSchedule: string;
  /** The expression for the walk's M tiles (cluster-sized). */
  readonly tilesM: string;
  /** The consumer's statements that set `TileCoord tc` (this CTA's tile before the cluster offset) from t. */
  readonly consumerTile: string;
  /** The rows the tile's scale reads are clamped to and its store is bounded by (an expression). */
  readonly tileRows: string;
  /** The weight scales of the tile's product (an expression). */
  readonly tileScaleB: string;
  /** The TMA thread's statements for piece (t, k0, k1): its tile's coordinates and one load per K block. */
  readonly producerTile: string;
  /** Two sets with the overlapped store: the spare load of the first tile's first block. */
  readonly spareLoad: string;
}

export const DENSE_WALK: TileWalkCode = {
  walkFunctions: '',
  walkParams: '',
  walkSchedule: '',
  tilesM: '(M + SUPER_M - 1) / SUPER_M',
  consumerTile: '      TileCoord tc = tile_coord(t, tilesM, tilesN, raster);\n',
  tileRows: 'M',
  tileScaleB: 'scaleB',
  producerTile: String.raw`    const TileCoord super = tile_coord(t, w.tilesM, w.tilesN, w.raster);
    for (int kb = k0; kb < k1; ++kb) load(super, super.m0 + w.rankM, super.n0 + w.rankN, kb);
`,
  spareLoad: SPARE_LOAD,
};
