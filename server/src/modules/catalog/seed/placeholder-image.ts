/**
 * Demo images drawn locally as SVG (nothing is downloaded): a coloured tile with the
 * product's Chinese and English name and a simple motif for its category.
 */
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const motifs: Record<string, string> = {
  leaf: '<path d="M200 110c-60 20-90 70-80 130 60-10 100-60 80-130z" fill="#fff" fill-opacity=".55"/><path d="M125 235c30-40 55-70 75-125" stroke="#fff" stroke-width="4" fill="none" stroke-opacity=".7"/>',
  cup: '<rect x="130" y="130" width="110" height="90" rx="18" fill="#fff" fill-opacity=".6"/><path d="M240 150c30 0 30 50 0 50" stroke="#fff" stroke-width="10" fill="none" stroke-opacity=".6"/><path d="M160 115c0-15 15-15 15-30M195 115c0-15 15-15 15-30" stroke="#fff" stroke-width="5" fill="none" stroke-opacity=".6"/>',
  flower:
    '<g fill="#fff" fill-opacity=".55"><circle cx="200" cy="130" r="32"/><circle cx="238" cy="160" r="32"/><circle cx="224" cy="205" r="32"/><circle cx="176" cy="205" r="32"/><circle cx="162" cy="160" r="32"/></g><circle cx="200" cy="168" r="20" fill="#fff" fill-opacity=".9"/>',
  nut: '<ellipse cx="200" cy="170" rx="60" ry="75" fill="#fff" fill-opacity=".55"/><path d="M200 95v150" stroke="#fff" stroke-width="4" stroke-opacity=".7"/>',
  cake: '<rect x="125" y="150" width="150" height="80" rx="12" fill="#fff" fill-opacity=".6"/><rect x="125" y="130" width="150" height="30" rx="12" fill="#fff" fill-opacity=".85"/><circle cx="200" cy="115" r="12" fill="#fff" fill-opacity=".9"/>',
};

export function productSvg(opts: {
  name: string;
  nameEn: string;
  color: string;
  motif: keyof typeof motifs;
  label?: string;
}): string {
  const label = opts.label
    ? `<text x="200" y="385" text-anchor="middle" font-size="22" fill="#fff" fill-opacity=".85">${escape(opts.label)}</text>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${opts.color}"/><stop offset="1" stop-color="${opts.color}" stop-opacity=".75"/></linearGradient></defs>
<rect width="400" height="400" fill="url(#g)"/>
${motifs[opts.motif]}
<text x="200" y="305" text-anchor="middle" font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, PingFang SC, sans-serif" font-size="36" font-weight="bold" fill="#fff">${escape(opts.name)}</text>
<text x="200" y="345" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="22" fill="#fff" fill-opacity=".9">${escape(opts.nameEn)}</text>
${label}
</svg>
`;
}

export type Motif = keyof typeof motifs;

/** The demo shop's logo: a round tea-green seal with 茶 and the English name beneath. */
export function logoSvg(opts: { mark: string; nameEn: string; color: string }): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240">
<circle cx="120" cy="120" r="116" fill="${opts.color}"/>
<circle cx="120" cy="120" r="100" fill="none" stroke="#fff" stroke-width="4" stroke-opacity=".7"/>
<text x="120" y="138" text-anchor="middle" font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, PingFang SC, sans-serif" font-size="92" font-weight="bold" fill="#fff">${escape(opts.mark)}</text>
<text x="120" y="180" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="20" fill="#fff" fill-opacity=".9">${escape(opts.nameEn)}</text>
</svg>
`;
}
