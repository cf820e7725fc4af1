/**
 * A surface is one part of WeChat the sandbox plays (official account, mini-program, cards,
 * WeChat Pay, …). Each registers its routes on the shared router and may add a section to
 * the console page. Surfaces are listed in `surfaces.ts`.
 */
import type Router from 'koa-router';
import type { Logger } from 'pino';
import type { SandboxMerchant } from './config';
import type { SandboxApps } from './platform/apps';

export interface SandboxContext {
  /** Folder for this sandbox's persisted state (one JSON file per surface). */
  stateDir: string;
  /** Base URL of the merchant server this sandbox pushes events and notifications to. */
  merchantBaseUrl: string;
  /** This sandbox's own base URL (for links it hands out, e.g. payment pages, QR images). */
  selfBaseUrl: string;
  /** Divides WeChat's retry delays (15 s, 15 s, 30 s, …) so tests need not wait for real time. */
  timeScale: number;
  log: Logger;
  /** The official account and mini-program this sandbox plays (from configuration). */
  apps: SandboxApps;
  /** The WeChat Pay merchant it serves (from configuration). */
  merchant: SandboxMerchant;
}

export interface ConsoleSection {
  /** Chinese first, English beside: 公众号 Official account. */
  title: string;
  /** Anchor on the page (`/#oa`). */
  id?: string;
  /** HTML fragment (already escaped by the surface). */
  html: string;
}

/** What the console page is showing: the simulated user its forms act as. */
export interface ConsoleView {
  /** The openid every "act as a user" form on the page uses. */
  openid: string;
}

/** A simulated user a surface has seen (followed, logged in, paid, holds a card). */
export interface SeenUser {
  openid: string;
  /** What the user did here, e.g. "公众号粉丝 follower". */
  roles: string[];
  /** Epoch ms of the last thing they did here (0 when unknown). */
  lastSeen: number;
}

export interface Surface {
  name: string;
  mount(router: Router, ctx: SandboxContext): void;
  /** Optional console section, rendered on the landing page for the chosen user. */
  console?(view: ConsoleView): ConsoleSection;
  /** The simulated users this surface has seen, for the console's user list. */
  users?(): SeenUser[];
  /** Persist state and stop timers (called on shutdown). */
  close?(): Promise<void> | void;
}
