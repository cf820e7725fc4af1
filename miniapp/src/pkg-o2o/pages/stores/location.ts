/**
 * Where the buyer is, to list stores nearest first: `wx.getLocation` (gcj02, the coordinates
 * WeChat's maps use) in the mini-program, the browser's geolocation in H5. Refused, failed or
 * too slow: a fixed point (the city centre) and the page says so.
 */
import Taro from '@tarojs/taro';

export interface Located {
  lat: number;
  lng: number;
  /** false: the fixed point, because the buyer's location was refused or unavailable. */
  precise: boolean;
}

/** People's Square, Shanghai: where the list starts from without the buyer's location. */
export const FALLBACK = { lat: 31.2304, lng: 121.4737 };

function fromBrowser(timeoutMs: number): Promise<{ lat: number; lng: number } | null> {
  const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined;
  if (!geo) return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs + 500);
    geo.getCurrentPosition(
      (p) => {
        clearTimeout(timer);
        resolve({ lat: p.coords.latitude, lng: p.coords.longitude });
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
      { timeout: timeoutMs, maximumAge: 300_000 },
    );
  });
}

export async function locate(): Promise<Located> {
  const got =
    process.env.TARO_ENV === 'h5'
      ? await fromBrowser(5000)
      : await Taro.getLocation({ type: 'gcj02' })
          .then((r) => ({ lat: r.latitude, lng: r.longitude }))
          .catch(() => null);
  return got ? { ...got, precise: true } : { ...FALLBACK, precise: false };
}

/** 850 m, 1.2 km, 12 km. */
export function distanceText(m: number): string {
  if (m < 1000) return `${m} m`;
  return `${(m / 1000).toFixed(m < 10_000 ? 1 : 0)} km`;
}
