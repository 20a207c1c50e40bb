// `tilesweep serve`: builds the web page (web/: the WGSL sweeps on the visitor's own GPU) and serves it
// on 127.0.0.1; `--build-only` writes the static files for publishing as they are (GitHub Pages).
import { spawn } from 'node:child_process';
import { Command } from 'commander';
import { message, UsageError } from '../../core/errors.ts';
import { checkOutputDir } from '../../core/output-path.ts';
import { buildWeb } from '../../web/build.ts';
import { serveStatic } from '../../web/server.ts';
import { parseNonNegativeInt } from '../options.ts';

interface ServeFlags {
  port: number;
  out: string;
  buildOnly?: boolean;
  open?: boolean;
}

/** The desktop's way to open a URL; nothing where it has none (the URL is printed anyway). */
function openInBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  spawn(opener, [url], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
}

export const serveCommand = new Command('serve')
  .description('build the web page that runs the WGSL sweeps on this browser\'s GPU and serve it on 127.0.0.1')
  .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', parseNonNegativeInt('--port'), 8023)
  .option('--out <dir>', 'folder to build the static page into', 'dist/web')
  .option('--build-only', 'write the static files and exit (publish the folder as it is)')
  .option('--open', 'open the page in the default browser')
  .action(async (flags: ServeFlags) => {
    if (flags.port > 65535) throw new UsageError(message.portInUse(flags.port, 'not a port number'));
    checkOutputDir(flags.out, '--out');
    const built = await buildWeb(flags.out);
    const size = built.files.reduce((n, f) => n + f.bytes, 0);
    process.stderr.write(`built ${built.files.length} files (${(size / 1e6).toFixed(1)} MB) into ${flags.out}\n`);
    if (flags.buildOnly) return;
    let url: string;
    try {
      ({ url } = await serveStatic(flags.out, flags.port));
    } catch (error) {
      throw new UsageError(message.portInUse(flags.port, (error as NodeJS.ErrnoException).code ?? String(error)));
    }
    process.stdout.write(`serving ${url}\n`);
    process.stderr.write('open it in Chrome or Edge 113+ (WebGPU; on Linux start the browser with --enable-unsafe-webgpu); Ctrl-C stops\n');
    if (flags.open) openInBrowser(url);
  });
