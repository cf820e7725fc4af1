/**
 * The shop as buyers see it (name, logo, service phone, shipping rule), from the server's
 * client config: the owner changes it in the shop settings, so nothing here is hard-coded.
 * Read once per app launch and shared by every page (one request however many ask); a
 * failed read is forgotten so the next page asks again, and pulling the home page down
 * reads it afresh.
 */
import { useEffect, useState } from 'react';
import { formatFen, type Contract, type ResponseOf, type ShippingRule, type ShopProfile } from '@chatmall/shared';
import { api } from './api';

type ClientConfig = ResponseOf<Contract['clientConfig']>;

let pending: Promise<ClientConfig> | null = null;
let loaded: ClientConfig | null = null;
const listeners = new Set<(shop: ShopProfile) => void>();

/** The client config, fetched on first use (or again after `reloadShop`). */
export function clientConfig(): Promise<ClientConfig> {
  if (pending) return pending;
  const request: Promise<ClientConfig> = api.clientConfig({}).then(
    (config) => {
      // An answer overtaken by a newer read (pull-down refresh) is not shown.
      if (pending === request) {
        loaded = config;
        for (const listener of listeners) listener(config.shop);
      }
      return config;
    },
    (err: unknown) => {
      if (pending === request) pending = null;
      throw err;
    },
  );
  pending = request;
  return request;
}

/** Reads the shop again (pull-down refresh); pages using `useShop` re-render with the answer. */
export function reloadShop(): Promise<ClientConfig> {
  pending = null;
  return clientConfig();
}

/** The shop, or null until the first read answers (pages show their own content meanwhile). */
export function useShop(): ShopProfile | null {
  const [shop, setShop] = useState<ShopProfile | null>(loaded?.shop ?? null);
  useEffect(() => {
    listeners.add(setShop);
    if (!loaded) clientConfig().catch(() => undefined); // the page still works without it
    return () => void listeners.delete(setShop);
  }, []);
  return shop;
}

/** `9900` → `¥99`, `1250` → `¥12.50`: whole yuan without the cents. */
function yuan(fen: number): string {
  return fen % 100 === 0 ? `¥${fen / 100}` : formatFen(fen);
}

/** The shipping rule, Chinese and English: `['满 ¥99 包邮', 'Free shipping over ¥99']`. */
export function shippingText(rule: ShippingRule): [zh: string, en: string] {
  if (rule.flatFee === 0) return ['全场包邮', 'Free shipping'];
  if (rule.freeOver === null) return [`运费 ${yuan(rule.flatFee)}`, `Shipping ${yuan(rule.flatFee)}`];
  return [`满 ${yuan(rule.freeOver)} 包邮`, `Free shipping over ${yuan(rule.freeOver)}`];
}
