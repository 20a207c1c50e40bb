// The H200's figures as its CUDA runner reported them (harness/cuda/profiles.ts), for device-free
// tests of spaces and templates.
import type { Capabilities } from '../../../../core/capabilities.ts';
import { profileCapabilities } from '../../../../harness/cuda/profiles.ts';

export const H200_CAPS: Capabilities = profileCapabilities('h200');
