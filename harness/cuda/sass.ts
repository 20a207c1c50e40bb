// Edits of compiled sm_90 machine code (a cubin: an ELF64 file whose `.text.<kernel>` sections hold
// 16-byte instructions). One edit for now, FFMA yields: every n-th FFMA gets its yield hint and loses
// its operand-reuse flags, so that the warp scheduler may switch to another warp (a warpgroup that
// can issue its WGMMAs) in the middle of a long run of promotion FFMAs. DeepGEMM found this in
// CUTLASS's nvcc 12.3 output and reports 10%+ on fine-grained-scaled FP8 GEMMs; the bit positions are
// those of the Volta-and-later control word (stall 41-44, yield 45, barriers 46-57, reuse 58-61).
// Both are scheduling hints: the results of the instructions do not change.

/** FFMA with three register operands: the low 12 bits of the instruction's first word. */
const FFMA_OPCODE = 0x223n;
const OPCODE_MASK = 0xfffn;
/** In the second word: the yield hint is bit 45 (0 = may yield), the four reuse flags bits 58-61. */
const YIELD_BIT = 1n << 45n;
const REUSE_BITS = 0xfn << 58n;

export interface SassPatchReport {
  /** FFMA instructions found in the kernels' text sections. */
  ffma: number;
  /** Those given the yield hint. */
  yielded: number;
}

interface Section {
  name: string;
  offset: number;
  size: number;
}

/** The section headers of an ELF64 little-endian file; throws on anything else. */
export function elfSections(elf: Buffer): Section[] {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file (a cubin is one; a fatbin is not)');
  if (elf[4] !== 2 || elf[5] !== 1) throw new Error('not a little-endian ELF64 file');
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const shentsize = elf.readUInt16LE(0x3a);
  const shnum = elf.readUInt16LE(0x3c);
  const shstrndx = elf.readUInt16LE(0x3e);
  if (shoff + shnum * shentsize > elf.length) throw new Error(`ELF section headers past the end of the file (${shnum} at ${shoff})`);
  const header = (i: number) => {
    const at = shoff + i * shentsize;
    return { nameOffset: elf.readUInt32LE(at), offset: Number(elf.readBigUInt64LE(at + 24)), size: Number(elf.readBigUInt64LE(at + 32)) };
  };
  const names = header(shstrndx);
  return Array.from({ length: shnum }, (_, i) => {
    const h = header(i);
    const start = names.offset + h.nameOffset;
    const end = elf.indexOf(0, start);
    return { name: elf.toString('latin1', start, end), offset: h.offset, size: h.size };
  });
}

/**
 * Gives every `every`-th FFMA (counted in order through each kernel text section: the 1st, then
 * the (every+1)-th, ...) the yield hint and clears its reuse flags and those of the instruction
 * before it (an operand cached for an instruction after which the warp may be switched out), in
 * place. `every` >= 1.
 */
export function yieldFfma(elf: Buffer, every: number): SassPatchReport {
  if (!Number.isInteger(every) || every < 1) throw new Error(`FFMA yield spacing must be a whole number >= 1, not ${every}`);
  const report: SassPatchReport = { ffma: 0, yielded: 0 };
  for (const section of elfSections(elf).filter((s) => s.name.startsWith('.text.'))) {
    if (section.offset + section.size > elf.length || section.size % 16 !== 0) throw new Error(`section ${section.name} is not whole 16-byte instructions inside the file`);
    let seen = 0;
    for (let at = section.offset; at < section.offset + section.size; at += 16) {
      if ((elf.readBigUInt64LE(at) & OPCODE_MASK) !== FFMA_OPCODE) continue;
      report.ffma++;
      if (seen++ % every !== 0) continue;
      const control = elf.readBigUInt64LE(at + 8);
      elf.writeBigUInt64LE((control & ~YIELD_BIT) & ~REUSE_BITS, at + 8);
      // Nor may the instruction before it leave an operand in the reuse cache for it.
      if (at > section.offset) elf.writeBigUInt64LE(elf.readBigUInt64LE(at - 8) & ~REUSE_BITS, at - 8);
      report.yielded++;
    }
  }
  return report;
}
