/**
 * One merchant's WeChat Pay, built from configuration: the APIv3 key is checked at
 * construction (start-up fails on a wrong length), key material is read on first use so the
 * API may start before the sandbox has written its test keys. `file:<path>` values are read
 * from disk; anything else is the value itself.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { apiV3KeyBytes } from './crypto';
import { WechatPayClient } from './client';
import type { HttpFunction } from './http';
import { PlatformKeyring } from './keyring';
import { readNotification, type NotificationResult } from './notification';
import type { HeaderBag } from './verify';

export interface WechatPaySettings {
  apiBase: string;
  mchid: string;
  appid: string;
  merchantSerial: string;
  merchantPrivateKey: string;
  apiV3Key: string;
  /** Empty: certificate mode only. */
  publicKeyId: string;
  publicKey: string;
  notifyUrl: string;
}

export interface WechatPayRuntimeOptions {
  http?: HttpFunction;
  now?: () => number;
  certificateRefreshIntervalMs?: number;
}

export class WechatPayKeysUnavailableError extends Error {
  constructor(setting: string, file: string) {
    super(`WeChat Pay ${setting} could not be read from ${file} (start the sandbox once, or configure the real key)`);
    this.name = 'WechatPayKeysUnavailableError';
  }
}

/** A setting's value, or the contents of the file a `file:<path>` value names. */
export function material(setting: string, value: string): string {
  if (!value.startsWith('file:')) return value;
  const file = value.slice('file:'.length);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    throw new WechatPayKeysUnavailableError(setting, file);
  }
}

export class WechatPay {
  readonly apiV3Key: Buffer;
  private loaded: WechatPayClient | undefined;

  constructor(
    readonly settings: WechatPaySettings,
    private readonly runtime: WechatPayRuntimeOptions = {},
  ) {
    this.apiV3Key = apiV3KeyBytes(settings.apiV3Key);
  }

  /** The client, its keys loaded on first use (throws WechatPayKeysUnavailableError until they exist). */
  get client(): WechatPayClient {
    if (this.loaded) return this.loaded;
    const s = this.settings;
    const pem = material('WECHATPAY_MERCHANT_PRIVATE_KEY', s.merchantPrivateKey);
    const keyring = new PlatformKeyring();
    const publicKeyId = material('WECHATPAY_PUBLIC_KEY_ID', s.publicKeyId);
    if (publicKeyId) keyring.addPublicKey(publicKeyId, material('WECHATPAY_PUBLIC_KEY', s.publicKey));
    this.loaded = new WechatPayClient({
      mchid: s.mchid,
      appid: s.appid,
      merchantSerial: material('WECHATPAY_MERCHANT_SERIAL', s.merchantSerial),
      merchantPrivateKey: crypto.createPrivateKey(pem),
      merchantPrivateKeyPem: pem,
      apiV3Key: this.apiV3Key,
      baseUrl: s.apiBase,
      keyring,
      publicKeyId: publicKeyId || undefined,
      notifyUrl: s.notifyUrl,
      ...this.runtime,
    });
    return this.loaded;
  }

  /** Verifies and decrypts a notification; an unknown serial triggers one certificate download. */
  readNotification(headers: HeaderBag, rawBody: Buffer): Promise<NotificationResult> {
    const client = this.client;
    return readNotification(headers, rawBody, {
      keyring: client.keyring,
      apiV3Key: this.apiV3Key,
      mchid: this.settings.mchid,
      appids: [this.settings.appid],
      now: this.runtime.now,
      onUnknownSerial: client.refreshCertificatesForUnknownSerial,
    });
  }
}
