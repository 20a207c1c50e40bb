// Reads `FILE` of `--backend replay:FILE[#RUNID]` into a replay backend (Node only: the file system).
import { message, UsageError } from '../../core/errors.ts';
import { readResults } from '../../core/results-file.ts';
import { replayBackend, type ReplayBackend } from './backend.ts';
import { indexRecording, recordedCalls } from './recording.ts';
import { softwareThreads } from '../webgpu/software-threads.ts';

/**
 * Opens `FILE` of `--backend replay:FILE[#RUNID]` (plain or brotli `.br`): one call of the file, or all
 * of them. A bad file or a call the file does not hold is a UsageError.
 */
export function openReplay(path: string, call?: string): ReplayBackend {
  const file = readResults(path);
  if (call !== undefined && !recordedCalls(file).includes(call)) throw new UsageError(message.replayNoCall(path, call, recordedCalls(file)));
  return replayBackend(indexRecording(file, call), path, softwareThreads());
}
