// The reason of a failed file operation in words, for one-line messages: Node's errors carry a code
// and a message that repeats the syscall and path, which the message around it already names.

const reasons: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'is a folder',
  ENOTDIR: 'a parent is a file, not a folder',
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  EBUSY: 'busy',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
  EFBIG: 'file too large',
  EXDEV: 'crosses file systems',
};

export function ioReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined) return reasons[code] ?? code;
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
