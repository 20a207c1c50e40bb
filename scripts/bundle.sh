#!/usr/bin/env bash
# Bundles what the GPU machine runs into the gitignored .carry/: this machine's node binary
# (xz-compressed; the GPU image has no Node.js) and esbuild bundles of the H200 sweep and rejudge scripts and
# of the GPU tests (test/gpu), which node's test runner runs there without node_modules.
# The runner's C++ sources travel with the working tree and are built there by its nvcc.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .carry
if [ ! -f .carry/node.xz ] || [ "$(command -v node)" -nt .carry/node.xz ]; then
  xz -T2 -6 -c "$(command -v node)" > .carry/node.xz.tmp && mv .carry/node.xz.tmp .carry/node.xz
fi
npx esbuild scripts/h200/sweep.ts --bundle --platform=node --format=esm --target=node20 \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" \
  --outfile=.carry/sweep.mjs --log-level=warning
npx esbuild scripts/h200/rejudge.ts --bundle --platform=node --format=esm --target=node20 \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" \
  --outfile=.carry/rejudge.mjs --log-level=warning
npx esbuild test/gpu/harness/cuda/backend.test.ts --bundle --platform=node --format=esm --target=node20 \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" \
  --outfile=.carry/gpu-test.mjs --log-level=warning
ls -l .carry
