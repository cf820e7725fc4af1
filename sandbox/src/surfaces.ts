/**
 * Every WeChat surface the sandbox plays, in console order. Add one line per surface.
 */
import { paySurface } from './pay/surface';
import { cardSurface } from './cards/cards.surface';
import { miniProgramSurface } from './miniprogram/miniprogram.surface';
import { phoneNumberSurface } from './miniprogram/phone-number';
import { campaignSendsSurface } from './oa/campaigns.surface';
import { followersSurface } from './oa/followers.surface';
import { menuSurface } from './oa/menu.surface';
import { officialAccountSurface } from './oa/oa.surface';
import { qrcodesSurface } from './oa/qrcodes.surface';
import { platformSurface } from './platform/platform.surface';
import type { Surface, SandboxContext } from './surface';

export function createSurfaces(ctx: SandboxContext): Surface[] {
  return [
    platformSurface(ctx),
    // Before the official account: it answers the template and mass-send paths.
    campaignSendsSurface(ctx),
    officialAccountSurface(ctx),
    followersSurface(ctx),
    qrcodesSurface(ctx),
    menuSurface(ctx),
    miniProgramSurface(ctx),
    phoneNumberSurface(ctx),
    cardSurface(ctx),
    paySurface(ctx),
  ];
}
