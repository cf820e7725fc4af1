/**
 * Every WeChat surface the sandbox plays, in console order. Add one line per surface.
 */
import type { Surface, SandboxContext } from './surface';

export function createSurfaces(_ctx: SandboxContext): Surface[] {
  return [];
}
