// The cubin edit on a hand-made ELF64 file: only FFMAs in kernel text sections change, only the
// yield and reuse bits of their control word (and the reuse bits of the instruction before each),
// every n-th one; anything that is not a little-endian ELF64 file is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { elfSections, yieldFfma } from '../../../harness/cuda/sass.ts';

const FFMA = 0x0000003b284b7223n; // FFMA R75, R40, R59.reuse, R75 (its first word)
const FFMA_CONTROL = 0x080fe2000000004bn; // reuse on operand b, yield bit set (no yield)
const FMUL = 0x0000003b284b7220n;
const OTHER_CONTROL = 0x040fe20000000000n;

/** An ELF64 file with the given sections (name, 16-byte instructions as [first word, control word]). */
function elf(sections: [string, [bigint, bigint][]][]): Buffer {
  const names = ['', ...sections.map(([n]) => n), '.shstrtab'];
  const strtab = Buffer.from(`${names.join('\0')}\0`, 'latin1');
  const bodies = sections.map(([, code]) => {
    const b = Buffer.alloc(code.length * 16);
    code.forEach(([lo, hi], i) => { b.writeBigUInt64LE(lo, i * 16); b.writeBigUInt64LE(hi, i * 16 + 8); });
    return b;
  });
  let offset = 64;
  const placed = bodies.map((b) => { const at = offset; offset += b.length; return at; });
  const strtabAt = offset;
  offset += strtab.length;
  const shoff = offset;
  const count = sections.length + 2;
  const header = Buffer.alloc(64);
  header.writeUInt32BE(0x7f454c46, 0);
  header[4] = 2;
  header[5] = 1;
  header.writeBigUInt64LE(BigInt(shoff), 0x28);
  header.writeUInt16LE(64, 0x3a);
  header.writeUInt16LE(count, 0x3c);
  header.writeUInt16LE(count - 1, 0x3e);
  const shdrs = Buffer.alloc(64 * count);
  let nameAt = 1;
  const entries = [...bodies.map((b, i) => ({ at: placed[i], size: b.length })), { at: strtabAt, size: strtab.length }];
  entries.forEach((e, i) => {
    const h = (i + 1) * 64;
    shdrs.writeUInt32LE(nameAt, h);
    nameAt += names[i + 1].length + 1;
    shdrs.writeBigUInt64LE(BigInt(e.at), h + 24);
    shdrs.writeBigUInt64LE(BigInt(e.size), h + 32);
  });
  return Buffer.concat([header, ...bodies, strtab, shdrs]);
}

const control = (file: Buffer, section: string, i: number): bigint => {
  const s = elfSections(file).find((x) => x.name === section)!;
  return file.readBigUInt64LE(s.offset + i * 16 + 8);
};

test('every n-th FFMA of a kernel text section yields and drops its reuse flags; nothing else changes', () => {
  const code: [bigint, bigint][] = [[FMUL, FFMA_CONTROL], [FFMA, FFMA_CONTROL], [FFMA, FFMA_CONTROL], [FFMA, FFMA_CONTROL], [FMUL, OTHER_CONTROL], [FFMA, FFMA_CONTROL]];
  const file = elf([['.text.kernel', code], ['.nv.info', [[FFMA, FFMA_CONTROL]]]]);
  const before = Buffer.from(file);
  const report = yieldFfma(file, 2);
  assert.deepEqual(report, { ffma: 4, yielded: 2 });
  const yielded = FFMA_CONTROL & ~(1n << 45n) & ~(0xfn << 58n);
  // The 1st and 3rd FFMA of the section: instructions 1 and 3.
  assert.equal(control(file, '.text.kernel', 1), yielded);
  assert.equal(control(file, '.text.kernel', 3), yielded);
  // The instruction before each loses its reuse flags only.
  assert.equal(control(file, '.text.kernel', 0), FFMA_CONTROL & ~(0xfn << 58n));
  assert.equal(control(file, '.text.kernel', 2), FFMA_CONTROL & ~(0xfn << 58n));
  assert.equal(control(file, '.text.kernel', 5), FFMA_CONTROL);
  assert.equal(control(file, '.nv.info', 0), FFMA_CONTROL, 'sections other than .text.* are left alone');
  // First words (opcodes and registers) are untouched.
  for (let i = 0; i < code.length; i++) {
    const at = elfSections(file).find((x) => x.name === '.text.kernel')!.offset + i * 16;
    assert.equal(file.readBigUInt64LE(at), before.readBigUInt64LE(at));
  }
});

test('every=1 yields at every FFMA; bad spacing and files that are not ELF64 are refused', () => {
  const file = elf([['.text.k', [[FFMA, FFMA_CONTROL], [FFMA, FFMA_CONTROL]]]]);
  assert.deepEqual(yieldFfma(file, 1), { ffma: 2, yielded: 2 });
  assert.throws(() => yieldFfma(file, 0), /whole number >= 1, not 0/);
  assert.throws(() => yieldFfma(Buffer.from('\x50\xed\x55\xbafatbin-header-and-more-bytes-to-pass-the-length-check-of-64b'), 2), /not an ELF file/);
});
