import { Fen, formatFen, parseYuan } from '../src/money';

describe('money in fen', () => {
  it('formats fen as yuan with two decimals', () => {
    expect(formatFen(3900)).toBe('¥39.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(123456789)).toBe('¥1,234,567.89');
    expect(formatFen(-150)).toBe('-¥1.50');
  });

  it('refuses to format a non-integer amount', () => {
    expect(() => formatFen(39.5)).toThrow(/integer/);
  });

  it('parses what a person types in yuan exactly, without float drift', () => {
    expect(parseYuan('39')).toBe(3900);
    expect(parseYuan('39.5')).toBe(3950);
    expect(parseYuan('0.29')).toBe(29); // 0.29 * 100 = 28.999999999999996 in floats
    expect(() => parseYuan('1.234')).toThrow();
    expect(() => parseYuan('-1')).toThrow();
  });

  it('the Fen schema accepts integer fen only', () => {
    expect(Fen.safeParse(100).success).toBe(true);
    expect(Fen.safeParse(1.5).success).toBe(false);
    expect(Fen.safeParse(-1).success).toBe(false);
    expect(Fen.safeParse('100').success).toBe(false);
  });
});
