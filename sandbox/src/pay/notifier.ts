/**
 * Delivers payment and refund notifications the way WeChat Pay does: the resource sealed
 * with AES-256-GCM under the merchant's APIv3 key, the body signed with a platform
 * certificate or the WeChat Pay public key (by mode), retried on WeChat's schedule until the
 * merchant answers 2xx (the status decides, never the body), compressed by `timeScale`.
 * Optional duplicate deliveries, SIGNTEST probes and dropped notifications exercise the
 * merchant's idempotency and reconciliation.
 */
import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { beijingTime, randomString, seal, sign, unixSeconds } from './crypto';
import type { PayKeys } from './keys';

/** 15s, 15s, 30s, 3m, 10m, 20m, 30m, 30m, 30m, 60m, 3h, 3h, 3h, 6h, 6h: 24h4m in all. */
export const RETRY_SCHEDULE_SECONDS = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
];

export type SignMode = 'cert' | 'pubkey' | 'mixed';

export interface NotifySettings {
  signMode: SignMode;
  /** In mixed mode, the share of notifications signed with the public key (WeChat ramps 0.1% → 100%). */
  mixedPublicKeyShare: number;
  duplicateDeliveries: boolean;
  signtestProbes: boolean;
  /** How many upcoming notifications are lost outright (never delivered, never retried). */
  dropNextNotifications: number;
}

export interface Attempt {
  at: string;
  status: number | 'timeout' | 'error';
  kind: 'delivery' | 'duplicate' | 'signtest';
}

export interface Delivery {
  id: string;
  eventType: string;
  notifyUrl: string;
  body: string;
  serial: string;
  attempts: Attempt[];
  state: 'pending' | 'delivered' | 'gave-up' | 'dropped';
  nextAttemptAt?: number;
}

export interface NotifierDeps {
  keys: PayKeys;
  apiV3Key: string;
  timeScale: number;
  log: Logger;
  settings: () => NotifySettings;
  deliveries: () => Delivery[];
  changed: () => void;
}

const DELIVERY_TIMEOUT_MS = 5000; // WeChat waits five seconds for the merchant's answer

export class Notifier {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly deps: NotifierDeps) {
    // Retries survive a sandbox restart.
    for (const d of deps.deliveries())
      if (d.state === 'pending') this.schedule(d, Math.max(0, (d.nextAttemptAt ?? 0) - Date.now()));
  }

  /** Seals, signs and queues one notification; the first attempt is immediate. */
  send(
    eventType: string,
    summary: string,
    originalType: 'transaction' | 'refund',
    payload: object,
    notifyUrl: string,
  ): Delivery {
    const nonce = randomString(12);
    const body = JSON.stringify({
      id: crypto.randomUUID(),
      create_time: beijingTime(),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary,
      resource: {
        original_type: originalType,
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: seal(this.deps.apiV3Key, nonce, originalType, JSON.stringify(payload)),
        associated_data: originalType,
        nonce,
      },
    });
    const settings = this.deps.settings();
    const usePublicKey =
      settings.signMode === 'pubkey' || (settings.signMode === 'mixed' && Math.random() < settings.mixedPublicKeyShare);
    const delivery: Delivery = {
      id: (JSON.parse(body) as { id: string }).id,
      eventType,
      notifyUrl,
      body,
      serial: usePublicKey ? this.deps.keys.state.publicKey.id : this.deps.keys.currentPlatform.serial,
      attempts: [],
      state: 'pending',
      nextAttemptAt: Date.now(),
    };
    const list = this.deps.deliveries();
    list.push(delivery);
    if (list.length > 500) list.splice(0, list.length - 500);
    if (settings.dropNextNotifications > 0) {
      settings.dropNextNotifications -= 1;
      delivery.state = 'dropped';
      this.deps.changed();
      return delivery;
    }
    this.deps.changed();
    if (settings.signtestProbes) void this.post(delivery, 'signtest');
    this.schedule(delivery, 0);
    return delivery;
  }

  /** Re-sends a delivered notification once more (WeChat does this; merchants must be idempotent). */
  redeliver(id: string): Delivery | undefined {
    const d = this.deps.deliveries().find((x) => x.id === id);
    if (d) void this.post(d, 'duplicate');
    return d;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(d: Delivery, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(d);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private async attempt(d: Delivery): Promise<void> {
    if (this.closed || d.state !== 'pending') return;
    const status = await this.post(d, 'delivery');
    if (typeof status === 'number' && status >= 200 && status < 300) {
      d.state = 'delivered';
      d.nextAttemptAt = undefined;
      if (this.deps.settings().duplicateDeliveries) void this.post(d, 'duplicate');
    } else {
      const retries = d.attempts.filter((a) => a.kind === 'delivery').length - 1;
      const wait = RETRY_SCHEDULE_SECONDS[retries];
      if (wait === undefined) {
        d.state = 'gave-up';
        d.nextAttemptAt = undefined;
      } else {
        const delayMs = (wait * 1000) / this.deps.timeScale;
        d.nextAttemptAt = Date.now() + delayMs;
        this.schedule(d, delayMs);
      }
    }
    this.deps.changed();
  }

  /** One HTTP POST, freshly timestamped and signed (a retry is a new signature over the same body). */
  private async post(d: Delivery, kind: Attempt['kind']): Promise<Attempt['status']> {
    const timestamp = unixSeconds();
    const nonce = randomString(32);
    const message = `${timestamp}\n${nonce}\n${d.body}\n`;
    const key =
      d.serial === this.deps.keys.state.publicKey.id
        ? this.deps.keys.state.publicKey.privateKeyPem
        : (this.deps.keys.state.platform.find((p) => p.serial === d.serial) ?? this.deps.keys.currentPlatform)
            .privateKeyPem;
    const signature =
      kind === 'signtest' ? `WECHATPAY/SIGNTEST/${crypto.randomBytes(192).toString('base64')}` : sign(message, key);
    let status: Attempt['status'];
    try {
      const res = await fetch(d.notifyUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Mozilla/4.0',
          'Wechatpay-Timestamp': timestamp,
          'Wechatpay-Nonce': nonce,
          'Wechatpay-Signature': signature,
          'Wechatpay-Serial': d.serial,
          'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
        },
        body: d.body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch (err) {
      status = (err as Error).name === 'TimeoutError' ? 'timeout' : 'error';
    }
    d.attempts.push({ at: new Date().toISOString(), status, kind });
    this.deps.log.debug({ id: d.id, eventType: d.eventType, kind, status }, 'pay notification attempt');
    this.deps.changed();
    return status;
  }
}
