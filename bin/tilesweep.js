#!/usr/bin/env node
// Entry point: loads the TypeScript CLI through tsx so the sources run as written.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
