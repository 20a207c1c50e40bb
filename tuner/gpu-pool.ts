// The GPUs of one host as a pool: work is handed to the lowest-numbered free GPU, in the order it was
// submitted, so that N GPUs run N pieces at once and a caller that submits one piece at a time (an
// adaptive strategy, a re-measurement) always lands on the same GPU. A GPU whose backend says it is
// lost (its runner could not be restarted) is retired after its piece in flight; the pieces still
// waiting go to the others, and once none is left they fail with NoGpuLeft.
import type { Backend } from '../harness/backend.ts';

export interface GpuSlot {
  /** The device ordinal on the host, recorded in every row it measures. */
  readonly gpu: number;
  readonly backend: Backend;
  /**
   * True once this GPU cannot run anything more, checked after each piece of work (the CUDA backend
   * restarts a runner that died and says lost when the new one cannot open the device).
   */
  lost?(): boolean | Promise<boolean>;
}

export class NoGpuLeft extends Error {
  override name = 'NoGpuLeft';
}

export class GpuPool {
  private readonly free: GpuSlot[];
  private readonly waiting: { resolve: (slot: GpuSlot) => void; reject: (error: Error) => void }[] = [];
  private readonly retired = new Set<GpuSlot>();

  constructor(readonly slots: readonly GpuSlot[]) {
    if (slots.length === 0) throw new Error('a GPU pool needs at least one GPU');
    this.free = [...slots];
  }

  get live(): GpuSlot[] {
    return this.slots.filter((s) => !this.retired.has(s));
  }

  /** Runs `work` on the next free GPU; rejects with NoGpuLeft when every GPU is retired. */
  async submit<R>(work: (slot: GpuSlot) => Promise<R>): Promise<R> {
    const slot = await this.acquire();
    try {
      return await work(slot);
    } finally {
      await this.release(slot);
    }
  }

  private acquire(): Promise<GpuSlot> {
    if (this.live.length === 0) return Promise.reject(new NoGpuLeft(`no GPU left: ${this.retiredText()}`));
    const slot = this.free.shift();
    if (slot) return Promise.resolve(slot);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private async release(slot: GpuSlot): Promise<void> {
    if (await slot.lost?.()) {
      this.retired.add(slot);
      if (this.live.length === 0) for (const w of this.waiting.splice(0)) w.reject(new NoGpuLeft(`no GPU left: ${this.retiredText()}`));
      return;
    }
    const next = this.waiting.shift();
    if (next) return next.resolve(slot);
    // Kept in slot order, so a lone caller always gets the same (lowest) GPU.
    this.free.push(slot);
    this.free.sort((a, b) => this.slots.indexOf(a) - this.slots.indexOf(b));
  }

  private retiredText(): string {
    return `GPU ${[...this.retired].map((s) => s.gpu).join(', ')} lost`;
  }
}
