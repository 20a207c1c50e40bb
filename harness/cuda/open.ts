// Entry point harness/open-backend.ts loads on demand for `--backend cuda|auto`.
export { openCuda, CudaBackend, type CudaBackendOptions } from './backend.ts';
