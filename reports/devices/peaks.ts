// Datasheet peaks of the GPUs the reports compare against: dense figures, never the "with sparsity"
// ones, each with the source it was read from (shared/reference/deepseek-v3.md, "Datasheet peaks").
// A device found in results is matched to a row by name; CPU adapters have no row
// and are judged against their own measured ceilings.

export interface PeakFigure {
  value: number;
  source: string;
}

export interface DatasheetDevice {
  /** Short name used in tables and projections. */
  id: 'H800' | 'H100 SXM' | 'H200';
  /** Matches DeviceInfo.name as the drivers report it (e.g. "NVIDIA H200", "NVIDIA H100 80GB HBM3"). */
  namePattern: RegExp;
  /** Dense tensor-core FP8 rate, FLOP/s. */
  fp8: PeakFigure;
  /** Dense tensor-core BF16 rate, FLOP/s. */
  bf16: PeakFigure;
  /** Non-tensor FP32 rate, FLOP/s. */
  fp32: PeakFigure;
  /** HBM bandwidth, bytes/s. */
  hbm: PeakFigure;
  /** HBM capacity, bytes. */
  memory: PeakFigure;
  /** L2 cache, bytes. */
  l2: PeakFigure;
  smCount: PeakFigure;
}

const T = 1e12;
const refDoc = 'shared/reference/deepseek-v3.md, "Datasheet peaks, dense"';
const h100Sheet = 'NVIDIA H100 Tensor Core GPU datasheet (SXM5, dense)';
const hopperPaper = 'NVIDIA H100 Tensor Core GPU Architecture whitepaper (H100 SXM5)';
const h800Note = `H800 SXM compute as H100 SXM (${refDoc})`;

export const datasheet: readonly DatasheetDevice[] = [
  {
    id: 'H800',
    namePattern: /\bH800\b/i,
    fp8: { value: 1979 * T, source: `${h800Note}; FP8 assumed equal to H100 SXM` },
    bf16: { value: 989 * T, source: h800Note },
    fp32: { value: 67 * T, source: `${h100Sheet}; ${h800Note}` },
    hbm: { value: 3.35e12, source: refDoc },
    memory: { value: 80e9, source: `${h100Sheet}; H800 SXM has the H100 SXM memory` },
    l2: { value: 50 * 2 ** 20, source: `${hopperPaper}; H800 SXM uses the same GH100 configuration` },
    smCount: { value: 132, source: `${hopperPaper}; H800 SXM uses the same GH100 configuration` },
  },
  {
    id: 'H100 SXM',
    // PCIe and NVL parts have other clocks and memory: leave them unmatched rather than wrong.
    namePattern: /\bH100\b(?!.*\b(PCIe|NVL)\b)/i,
    fp8: { value: 1979 * T, source: refDoc },
    bf16: { value: 989 * T, source: refDoc },
    fp32: { value: 67 * T, source: h100Sheet },
    hbm: { value: 3.35e12, source: refDoc },
    memory: { value: 80e9, source: refDoc },
    l2: { value: 50 * 2 ** 20, source: hopperPaper },
    smCount: { value: 132, source: hopperPaper },
  },
  {
    id: 'H200',
    namePattern: /\bH200\b(?!.*\bNVL\b)/i,
    fp8: { value: 1979 * T, source: `${refDoc} (compute as H100 SXM)` },
    bf16: { value: 989 * T, source: `${refDoc} (compute as H100 SXM)` },
    fp32: { value: 67 * T, source: `${h100Sheet} (H200 compute as H100 SXM)` },
    hbm: { value: 4.8e12, source: refDoc },
    memory: { value: 141e9, source: refDoc },
    l2: { value: 60 * 2 ** 20, source: refDoc },
    smCount: { value: 132, source: refDoc },
  },
];

export function datasheetById(id: DatasheetDevice['id']): DatasheetDevice {
  const row = datasheet.find((d) => d.id === id);
  if (!row) throw new Error(`no datasheet row ${id}`);
  return row;
}

/** The first datasheet row whose pattern matches a device name, if any. */
export function matchDatasheet(deviceName: string): DatasheetDevice | undefined {
  return datasheet.find((d) => d.namePattern.test(deviceName));
}

/** Software adapters (lavapipe/llvmpipe, SwiftShader, WARP) measure a CPU, not a GPU. */
export function isCpuAdapter(deviceName: string): boolean {
  return /llvmpipe|lavapipe|swiftshader|\bwarp\b|software/i.test(deviceName);
}
