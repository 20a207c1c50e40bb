// Every CLI command, listed once. Each module exports a commander Command.
import type { Command } from 'commander';
import { devicesCommand } from './devices.ts';
import { gateCommand } from './gate.ts';
import { reportCommand } from './report.ts';
import { tuneCommand } from './tune.ts';

export const commands: readonly Command[] = [devicesCommand, tuneCommand, gateCommand, reportCommand];
