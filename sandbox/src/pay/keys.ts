/**
 * The sandbox's Pay keys, generated at first start and persisted under `<state>/pay/`:
 * the merchant's API key pair and certificate serial (what a merchant downloads from the
 * merchant platform), platform certificates (serial, key, X.509; rotatable) and the
 * WeChat Pay public key (`PUB_KEY_ID_…`). The files the server reads are written beside them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { JsonStore } from '../store';

export interface PlatformCertificate {
  serial: string;
  privateKeyPem: string;
  certificatePem: string;
  effectiveTime: string;
  expireTime: string;
}

export interface PayKeysState {
  merchant: { serial: string; privateKeyPem: string; publicKeyPem: string };
  /** Newest last; the newest signs. WeChat serves every unexpired one from /v3/certificates. */
  platform: PlatformCertificate[];
  publicKey: { id: string; privateKeyPem: string; publicKeyPem: string };
}

function rsaPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** 40 uppercase hex digits, first one 1–7 so DER needs no sign byte and the serial reads back unchanged. */
function certificateSerial(): string {
  return `${1 + crypto.randomInt(7)}${crypto.randomBytes(20).toString('hex').toUpperCase().slice(1)}`;
}

export function newPlatformCertificate(now = Date.now()): PlatformCertificate {
  const pair = rsaPair();
  const serial = certificateSerial();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pair.publicKeyPem);
  cert.serialNumber = serial.toLowerCase();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + 5 * 365 * 86_400_000); // platform certificates last five years
  const subject = [
    { name: 'commonName', value: 'Tenpay.com sandbox platform certificate' },
    { name: 'organizationName', value: 'chatmall sandbox' },
    { name: 'countryName', value: 'CN' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(forge.pki.privateKeyFromPem(pair.privateKeyPem), forge.md.sha256.create());
  return {
    serial,
    privateKeyPem: pair.privateKeyPem,
    certificatePem: forge.pki.certificateToPem(cert),
    effectiveTime: cert.validity.notBefore.toISOString(),
    expireTime: cert.validity.notAfter.toISOString(),
  };
}

function generate(): PayKeysState {
  const merchant = rsaPair();
  const publicKey = rsaPair();
  return {
    merchant: { serial: crypto.randomBytes(20).toString('hex').toUpperCase(), ...merchant },
    platform: [newPlatformCertificate()],
    publicKey: {
      id: `PUB_KEY_ID_0119${crypto.randomInt(1e9).toString().padStart(9, '0')}${'0'.repeat(14)}`,
      ...publicKey,
    },
  };
}

export class PayKeys {
  readonly store: JsonStore<PayKeysState>;

  constructor(readonly dir: string) {
    this.store = new JsonStore(path.join(dir, 'keys.json'), generate);
    this.store.flush();
    this.writeMerchantFiles();
  }

  get state(): PayKeysState {
    return this.store.state;
  }

  /** The certificate that signs now. */
  get currentPlatform(): PlatformCertificate {
    return this.state.platform[this.state.platform.length - 1];
  }

  /** Issues a new platform certificate; the old one stays downloadable (WeChat overlaps them). */
  rotatePlatformCertificate(): PlatformCertificate {
    const next = newPlatformCertificate();
    this.store.update((s) => {
      s.platform.push(next);
      s.platform = s.platform.slice(-2);
    });
    this.store.flush();
    return next;
  }

  /** The files a merchant would configure the server with (config/default.json points here). */
  private writeMerchantFiles(): void {
    const files: Record<string, string> = {
      'merchant-key.pem': this.state.merchant.privateKeyPem,
      'merchant-serial.txt': `${this.state.merchant.serial}\n`,
      'wechatpay-public-key-id.txt': `${this.state.publicKey.id}\n`,
      'wechatpay-public-key.pem': this.state.publicKey.publicKeyPem,
    };
    fs.mkdirSync(this.dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(this.dir, name);
      if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) continue;
      fs.writeFileSync(`${file}.tmp`, content, { mode: name.endsWith('key.pem') ? 0o600 : 0o644 });
      fs.renameSync(`${file}.tmp`, file);
    }
  }
}
