/**
 * A buyer's photos for after-sales requests and reviews: chosen with the album or camera,
 * sent as the raw body of `POST /api/media` (the server checks the bytes against the type),
 * answered with the URL a request or review may then name.
 */
import Taro from '@tarojs/taro';
import { ApiError, contract, MAX_PHOTOS, Problem } from '@chatmall/shared';
import { buyerAuthorization } from './api';

const typeByExt: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
};

/** Lets the buyer pick up to `room` photos (never more than 6 in all). */
export async function choosePhotos(room: number): Promise<{ path: string; file?: Blob }[]> {
  const count = Math.max(0, Math.min(room, MAX_PHOTOS));
  if (!count) return [];
  const res = await Taro.chooseImage({ count, sizeType: ['compressed'], sourceType: ['album', 'camera'] });
  return res.tempFiles.map((f) => ({
    path: f.path,
    file: (f as { originalFileObj?: Blob }).originalFileObj,
  }));
}

async function bytesOf(photo: { path: string; file?: Blob }): Promise<{ data: ArrayBuffer; type: string }> {
  if (process.env.TARO_ENV === 'h5') {
    const blob = photo.file ?? (await (await fetch(photo.path)).blob());
    return { data: await blob.arrayBuffer(), type: blob.type || 'image/jpeg' };
  }
  const ext = /\.([a-z0-9]+)$/i.exec(photo.path)?.[1]?.toLowerCase() ?? 'jpg';
  const data = await new Promise<ArrayBuffer>((resolve, reject) =>
    Taro.getFileSystemManager().readFile({
      filePath: photo.path,
      success: (r) => resolve(r.data as ArrayBuffer),
      fail: (e) => reject(new Error(e.errMsg)),
    }),
  );
  return { data, type: typeByExt[ext] ?? 'image/jpeg' };
}

/** Uploads one photo; answers its URL (relative to the API, `/media/buyers/…`). */
export async function uploadPhoto(photo: { path: string; file?: Blob }): Promise<string> {
  const { data, type } = await bytesOf(photo);
  const url = API_BASE_URL + contract.uploadBuyerImage.path;
  const header = { ...(await buyerAuthorization()), 'content-type': type, accept: 'application/json' };
  // H5: fetch sends the bytes as they are; wx.request sends an ArrayBuffer body as-is too.
  const res =
    process.env.TARO_ENV === 'h5'
      ? await fetch(url, { method: 'POST', headers: header, body: data }).then(async (r) => ({
          statusCode: r.status,
          data: (await r.json().catch(() => null)) as unknown,
        }))
      : await Taro.request({ url, method: 'POST', header, data, dataType: 'json', timeout: 30_000 });
  if (res.statusCode >= 400) {
    const p = Problem.safeParse(res.data);
    throw p.success
      ? new ApiError(res.statusCode, p.data.code, p.data.message, p.data.fields ?? [])
      : new Error(`上传失败 · Upload failed (${res.statusCode})`);
  }
  return (res.data as { url: string }).url;
}
