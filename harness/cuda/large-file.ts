// Buffers go to the CUDA runner and the external peers as files, and come back as files; a model
// layer's weights pass 2 GiB (256 experts x 7168 x 2048 e4m3 is 3.76 GB, x 4096 x 7168 is 7.5 GB),
// which one read or write call of node's fs refuses, and past 4 GiB no Uint8Array views the whole
// buffer. These write any typed array and read any file in pieces of at most `chunk` bytes.
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

/** The largest piece one read or write takes (1 GiB, below node's 2^31 - 1 limit). */
export const WRITE_CHUNK_BYTES = 2 ** 30;

/** Writes the bytes a view covers (any length), piece by piece. */
export function writeBytesSync(path: string, view: ArrayBufferView, chunk = WRITE_CHUNK_BYTES): void {
  const fd = openSync(path, 'w');
  try {
    for (let at = 0; at < view.byteLength; ) {
      const piece = new Uint8Array(view.buffer, view.byteOffset + at, Math.min(chunk, view.byteLength - at));
      at += writeSync(fd, piece);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A file's bytes (any length) in a new ArrayBuffer, read piece by piece; with `length`, a buffer of
 * exactly that many bytes: a shorter file leaves the rest zero, a longer one is cut.
 */
export function readBytesSync(path: string, length?: number, chunk = WRITE_CHUNK_BYTES): ArrayBuffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const whole = new ArrayBuffer(length ?? size);
    const end = Math.min(size, whole.byteLength);
    for (let at = 0; at < end; ) {
      const piece = Math.min(chunk, end - at);
      const read = readSync(fd, new Uint8Array(whole, at, piece), 0, piece, at);
      if (read === 0) throw new Error(`${path} ended at ${at} of ${size} bytes`);
      at += read;
    }
    return whole;
  } finally {
    closeSync(fd);
  }
}
