// Entry point harness/open-backend.ts loads on demand for `--backend cuda|auto` and `--gpus`.
export { openCuda, CudaBackend, type CudaBackendOptions } from './backend.ts';
export { openCudaGpus, type GpuSelection } from './gpus.ts';
