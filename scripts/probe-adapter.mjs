// Exit 0 when Dawn finds a WebGPU adapter on this machine, 1 when it does not. Plain JavaScript so
// it runs before anything else is set up (npm dependencies are its only need).
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
process.env.XDG_RUNTIME_DIR ||= '/tmp';
const gpu = create([]);
const adapter = await gpu.requestAdapter().catch(() => null);
if (adapter) console.error(`WebGPU adapter: ${adapter.info.description || adapter.info.device || adapter.info.vendor}`);
process.exit(adapter ? 0 : 1);
