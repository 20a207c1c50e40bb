// Error text from compilers, runners and peers names files by absolute path (nvcc's temporaries under
// the cache, a peer's scratch folder). Results rows travel and get committed, so the places that
// identify one machine are written as `.` (the working directory), `~` (the home folder) and
// `$TMPDIR` before a text goes into a row. Node-free: the browser bundle has no such places.
type Env = { cwd?(): string; env?: Record<string, string | undefined> };

export function withoutMachinePaths(text: string): string {
  const proc = (globalThis as { process?: Env }).process;
  if (!proc?.env) return text;
  const places: [string, string][] = [];
  const add = (path: string | undefined, name: string) => {
    if (path && path.length > 1 && path.startsWith('/')) places.push([path.replace(/\/+$/, ''), name]);
  };
  add(proc.cwd?.(), '.');
  add(proc.env.HOME, '~');
  add(proc.env.TMPDIR ?? '/tmp', '$TMPDIR');
  // Longest first, so a working directory inside the home folder is written as `.`, not `~/...`.
  places.sort((a, b) => b[0].length - a[0].length);
  let out = text;
  for (const [path, name] of places) out = out.split(`${path}/`).join(`${name}/`).split(path).join(name);
  return out;
}
