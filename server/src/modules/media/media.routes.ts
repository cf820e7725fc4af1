/**
 * Image upload: the raw request body is the image. Its declared type must be one we
 * accept and its bytes must carry that type's signature; only then is it stored. The
 * size limit is enforced while reading the body (413 naming `body`, nothing stored).
 * Staff uploads are catalog images; a buyer's upload is stored under a key of their own
 * and recorded, so only that buyer's requests and reviews can name it (`BuyerMediaService`).
 */
import { createHash } from 'node:crypto';
import { contract, UPLOAD_IMAGE_TYPES, type UploadImageType } from '@chatmall/shared';
import type Koa from 'koa';
import type { DataSource } from 'typeorm';
import type { ContractRouter } from '../../http/contract-router';
import { ValidationError } from '../../kernel/errors';
import type { MediaStorage } from '../../kernel/storage';
import { recordAudit } from '../auth/audit.service';
import type { BuyerMediaService } from './buyer-media.service';
import { bytesMatchType, extensionFor, isUploadImageType } from './image-type';

/** The request's image, checked: its declared type is accepted and its bytes carry that type's signature. */
function checkedImage(ctx: Koa.Context): { bytes: Buffer; type: UploadImageType; digest: string } {
  const type = (ctx.request.type || '').toLowerCase();
  if (!isUploadImageType(type))
    throw new ValidationError([
      { path: 'headers.content-type', message: `must be one of ${UPLOAD_IMAGE_TYPES.join(', ')}` },
    ]);
  const bytes = ctx.state.rawBody as Buffer | undefined;
  if (!bytes?.length) throw new ValidationError([{ path: 'body', message: 'must be the image’s bytes' }]);
  if (!bytesMatchType(bytes, type))
    throw new ValidationError([
      { path: 'body', message: `is not a ${type} image (its bytes do not match the declared type)` },
    ]);
  // Named by content: the same image uploaded twice is stored once, at one URL.
  return { bytes, type, digest: createHash('sha256').update(bytes).digest('hex').slice(0, 32) };
}

export function mediaRoutes(
  router: ContractRouter,
  deps: { db: DataSource; storage: MediaStorage; buyerMedia: BuyerMediaService },
): void {
  router.handle(contract.uploadImage, async ({ principal, http: ctx }) => {
    const { bytes, type, digest } = checkedImage(ctx);
    const key = `uploads/${digest.slice(0, 2)}/${digest}.${extensionFor(type)}`;
    const url = await deps.storage.put(key, bytes, type);
    await recordAudit(deps.db.manager, principal, 'media.upload', 'media', digest, { url, type, bytes: bytes.length });
    return { url };
  });

  router.handle(contract.uploadBuyerImage, async ({ ctx, principal, http }) => {
    const image = checkedImage(http);
    return { url: await deps.buyerMedia.store(ctx, principal.buyerId, image) };
  });
}
