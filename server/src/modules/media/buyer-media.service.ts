/**
 * Buyers' photos (after-sales requests, reviews). Each is stored under the buyer's own key
 * prefix and recorded against the buyer; a request or review may name only photos its buyer
 * uploaded, so nobody can attach someone else's picture or an outside URL.
 */
import { newId, type UploadImageType } from '@chatmall/shared';
import { In, type DataSource } from 'typeorm';
import { insertIgnore } from '../../kernel/dialect';
import { ValidationError } from '../../kernel/errors';
import type { MediaStorage } from '../../kernel/storage';
import { managerOf, type Ctx } from '../../kernel/tx';
import { BuyerUploadEntity } from './buyer-upload.entity';
import { extensionFor } from './image-type';

export class BuyerMediaService {
  constructor(
    private readonly db: DataSource,
    private readonly storage: MediaStorage,
  ) {}

  /** Stores checked bytes under `buyers/<buyerId>/…` and records them; the same image twice is one row. */
  async store(
    ctx: Ctx,
    buyerId: string,
    image: { bytes: Buffer; type: UploadImageType; digest: string },
  ): Promise<string> {
    const key = `buyers/${buyerId.toLowerCase()}/${image.digest}.${extensionFor(image.type)}`;
    const url = await this.storage.put(key, image.bytes, image.type);
    await managerOf(this.db, ctx).query(
      `${insertIgnore(managerOf(this.db, ctx))} INTO buyer_uploads (id, buyer_id, url, content_type, bytes) VALUES (?, ?, ?, ?, ?)`,
      [newId('buyerUpload'), buyerId, url, image.type, image.bytes.length],
    );
    return url;
  }

  /**
   * Refuses (400 naming `<path>.<i>`) any photo the buyer did not upload. Call it inside the
   * request's or review's transaction; it only reads.
   */
  async assertOwned(ctx: Ctx, buyerId: string, urls: readonly string[], path: string): Promise<void> {
    if (!urls.length) return;
    const rows = await managerOf(this.db, ctx)
      .getRepository(BuyerUploadEntity)
      .find({ select: { url: true }, where: { buyerId, url: In([...new Set(urls)]) } });
    const known = new Set(rows.map((r) => r.url));
    const problems = urls.flatMap((u, i) =>
      known.has(u) ? [] : [{ path: `${path}.${i}`, message: 'is not a photo you uploaded (POST /api/media)' }],
    );
    if (problems.length) throw new ValidationError(problems);
  }
}
