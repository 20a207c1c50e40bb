// The host threads lavapipe (Mesa's Vulkan on the CPU, under Dawn in Node) runs workgroups on: one
// per CPU unless LP_NUM_THREADS sets them. The WGSL cost models spread a dispatch's workgroups over them.
import { availableParallelism } from 'node:os';

export function softwareThreads(env: NodeJS.ProcessEnv = process.env): number {
  const forced = Number(env.LP_NUM_THREADS);
  return Number.isInteger(forced) && forced > 0 ? forced : availableParallelism();
}
