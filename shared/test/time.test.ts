import { chinaDate, chinaParts, formatChinaTime } from '../src/time';

describe('China time', () => {
  it('renders a UTC instant as Beijing time, eight hours later', () => {
    expect(formatChinaTime('2026-11-30T09:18:41Z')).toBe('2026-11-30 17:18');
    expect(formatChinaTime('2026-11-30T09:18:41.500Z', 'second')).toBe('2026-11-30 17:18:41');
  });

  it('rolls over the date, month and year at Beijing midnight, not UTC midnight', () => {
    expect(formatChinaTime('2026-12-31T16:00:00Z')).toBe('2027-01-01 00:00');
    expect(chinaDate('2026-12-31T15:59:59Z')).toBe('2026-12-31');
    expect(chinaDate('2028-02-28T16:30:00Z')).toBe('2028-02-29');
  });

  it('agrees with the time-zone database for Asia/Shanghai across the year', () => {
    const tz = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 97 * 60 * 60 * 1000 + 7 * 60 * 1000) {
      const parts = Object.fromEntries(tz.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
      expect(formatChinaTime(t)).toBe(`${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`);
    }
  });

  it('takes ISO strings, epoch milliseconds and Dates alike, and refuses what is not a time', () => {
    const iso = '2026-06-01T00:00:00Z';
    expect(chinaParts(iso)).toEqual(chinaParts(Date.parse(iso)));
    expect(chinaParts(new Date(iso))).toEqual({ year: 2026, month: 6, day: 1, hour: 8, minute: 0, second: 0 });
    expect(() => formatChinaTime('not a date')).toThrow(RangeError);
  });
});
