/** `4` → `★★★★☆`: a rating as stars (product reviews, the order page's reviewed lines). */
export function stars(rating: number): string {
  const n = Math.max(0, Math.min(5, Math.round(rating)));
  return '★'.repeat(n) + '☆'.repeat(5 - n);
}
