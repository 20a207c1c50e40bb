// Input buffers go to the CUDA runner as files, and a model layer's weights can pass 2 GiB (256
// experts x 7168 x 2048 e4m3 is 3.76 GB), which one write call of node's fs refuses: this writes a
// byte view of any length in pieces of at most `chunk` bytes.
import { closeSync, openSync, writeSync } from 'node:fs';

/** The largest piece one write takes (1 GiB, below node's 2^31 - 1 limit). */
export const WRITE_CHUNK_BYTES = 2 ** 30;

export function writeBytesSync(path: string, bytes: Uint8Array, chunk = WRITE_CHUNK_BYTES): void {
  const fd = openSync(path, 'w');
  try {
    for (let at = 0; at < bytes.byteLength; ) at += writeSync(fd, bytes, at, Math.min(chunk, bytes.byteLength - at));
  } finally {
    closeSync(fd);
  }
}
