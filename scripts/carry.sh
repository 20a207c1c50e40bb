#!/usr/bin/env bash
# Packs what a GPU host without Node.js or a package registry needs to run the real CLI into the
# gitignored .carry/: this machine's node binary and a trimmed node_modules, both xz-compressed
# (about 24 + 12 MB). Copy the working tree with .carry/ to the host and run scripts/gpu-host.sh there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p .carry
if [ ! -f .carry/node.xz ] || [ "$(command -v node)" -nt .carry/node.xz ]; then
  xz -T2 -6 -c "$(command -v node)" > .carry/node.xz.tmp && mv .carry/node.xz.tmp .carry/node.xz
fi
if [ ! -f .carry/nm.tar.xz ] || [ package-lock.json -nt .carry/nm.tar.xz ]; then
  # What the CLI does not load on a CUDA host: the browser driver, the type checker and the types,
  # gpu.js's own headless-gl build, and Dawn's binaries for other platforms.
  tar -C node_modules -cf - \
    --exclude=./gpu.js/node_modules --exclude=./playwright-core --exclude=./typescript --exclude=./@typescript \
    --exclude=./@types --exclude='./webgpu/dist/darwin*' --exclude='./webgpu/dist/win32*' --exclude='./webgpu/dist/linux-arm64*' \
    . | xz -T2 -6 > .carry/nm.tar.xz.tmp
  mv .carry/nm.tar.xz.tmp .carry/nm.tar.xz
fi
ls -l .carry
