/**
 * The keys WeChat Pay signs with, by `Wechatpay-Serial`: platform certificates (40-hex
 * serials, they expire and rotate) and the WeChat Pay public key (`PUB_KEY_ID_…`, never
 * expires). During a merchant's migration both sign, so a verifier holds both and picks by
 * serial. Key objects are parsed once: parsing a PEM per notification costs more than the
 * RSA verification itself (see scripts/bench/notify-verify.ts).
 */
import crypto, { type KeyObject } from 'node:crypto';

export interface PlatformCertificateInfo {
  serial: string;
  notAfter: Date;
}

export class PlatformKeyring {
  private readonly keys = new Map<string, KeyObject>();
  private readonly certificates = new Map<string, PlatformCertificateInfo>();

  /** Adds the WeChat Pay public key under its `PUB_KEY_ID_…` id. */
  addPublicKey(id: string, publicKeyPem: string | Buffer | KeyObject): void {
    this.keys.set(id, publicKeyPem instanceof crypto.KeyObject ? publicKeyPem : crypto.createPublicKey(publicKeyPem));
  }

  /** Adds a platform certificate under its serial (uppercase hex, as `Wechatpay-Serial` carries it). */
  addCertificate(certificatePem: string | Buffer): PlatformCertificateInfo {
    const cert = new crypto.X509Certificate(certificatePem);
    const info = { serial: normaliseSerial(cert.serialNumber), notAfter: new Date(cert.validTo) };
    this.keys.set(info.serial, cert.publicKey);
    this.certificates.set(info.serial, info);
    return info;
  }

  get(serial: string): KeyObject | undefined {
    return this.keys.get(serial) ?? this.keys.get(normaliseSerial(serial));
  }

  has(serial: string): boolean {
    return this.get(serial) !== undefined;
  }

  serials(): string[] {
    return [...this.keys.keys()];
  }

  certificateSerials(): string[] {
    return [...this.certificates.keys()];
  }
}

/** Public-key ids pass through; certificate serials compare as uppercase hex (issue: BigInteger vs hex). */
export function normaliseSerial(serial: string): string {
  return serial.startsWith('PUB_KEY_ID_') ? serial : serial.toUpperCase();
}
