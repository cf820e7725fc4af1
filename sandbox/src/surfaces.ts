/**
 * Every WeChat surface the sandbox plays, in console order. Add one line per surface.
 */
import { paySurface } from './pay/surface';
import { cardSurface } from './cards/cards.surface';
import { miniProgramSurface } from './miniprogram/miniprogram.surface';
import { officialAccountSurface } from './oa/oa.surface';
import { platformSurface } from './platform/platform.surface';
import type { Surface, SandboxContext } from './surface';

export function createSurfaces(ctx: SandboxContext): Surface[] {
  return [
    platformSurface(ctx),
    officialAccountSurface(ctx),
    miniProgramSurface(ctx),
    cardSurface(ctx),
    paySurface(ctx),
  ];
}
