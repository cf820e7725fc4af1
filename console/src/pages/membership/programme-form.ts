/**
 * The programme form's values ↔ the contract's `ProgrammeSettings`: money typed in yuan
 * (a spend threshold, the points' worth, top-up tiers) becomes integer fen exactly, and the
 * whole thing is checked with the contract's own schema before it is sent.
 */
import { ProgrammeSettings, type LevelBasis, type ProgrammeSettings as Settings } from '@chatmall/shared';
import { fenToYuanInput, wholeOf, yuanToFen, NOT_WHOLE, NOT_YUAN, type Problem } from '../marketing/marketing-text';

export interface LevelValues {
  name: string;
  threshold: string;
  discountPercent: number | null;
  pointsMultiplierPercent: number | null;
  freeShipping: boolean;
}

export interface ProgrammeFormValues {
  enabled: boolean;
  levelBasis: LevelBasis;
  levels: LevelValues[];
  earning: { pointsPerYuan: number | null; when: Settings['earning']['when'] };
  pointsRule: { points: number | null; fen: string; maxSharePercent: number | null };
  expiry: Settings['expiry'];
  topUpTiers: { pay: string; bonus: string }[];
}

const thresholdText = (basis: LevelBasis, n: number) => (basis === 'spend' ? fenToYuanInput(n) : String(n));

export function formValues(s: Settings): ProgrammeFormValues {
  return {
    enabled: s.enabled,
    levelBasis: s.levelBasis,
    levels: s.levels.map((l) => ({ ...l, threshold: thresholdText(s.levelBasis, l.threshold) })),
    earning: { ...s.earning },
    pointsRule: {
      points: s.pointsRule.points,
      fen: fenToYuanInput(s.pointsRule.fen),
      maxSharePercent: s.pointsRule.maxSharePercent,
    },
    expiry: { ...s.expiry },
    topUpTiers: s.topUpTiers.map((t) => ({ pay: fenToYuanInput(t.pay), bonus: fenToYuanInput(t.bonus) })),
  };
}

/** The settings to send, or the problems to show on the fields (paths are the form's names). */
export function settingsOf(v: ProgrammeFormValues): { settings?: Settings; problems: Problem[] } {
  const problems: Problem[] = [];
  const money = (path: Problem['path'], text: string | undefined): number => {
    const fen = yuanToFen(text);
    if (fen === null) problems.push({ path, message: 'is required' });
    else if (Number.isNaN(fen)) problems.push({ path, message: NOT_YUAN });
    else return fen;
    return 0;
  };
  const num = (n: number | null | undefined) => (n === null ? undefined : n);
  const levels = (v.levels ?? []).map((l, i) => {
    let threshold = 0;
    if (v.levelBasis === 'spend') threshold = money(['levels', i, 'threshold'], l.threshold);
    else {
      const w = wholeOf(l.threshold);
      if (w === null) problems.push({ path: ['levels', i, 'threshold'], message: 'is required' });
      else if (Number.isNaN(w)) problems.push({ path: ['levels', i, 'threshold'], message: NOT_WHOLE });
      else threshold = w;
    }
    return {
      name: l.name ?? '',
      threshold,
      discountPercent: num(l.discountPercent ?? 0),
      pointsMultiplierPercent: num(l.pointsMultiplierPercent ?? 100),
      freeShipping: Boolean(l.freeShipping),
    };
  });
  const candidate = {
    enabled: v.enabled,
    levelBasis: v.levelBasis,
    levels,
    earning: { pointsPerYuan: num(v.earning?.pointsPerYuan), when: v.earning?.when },
    pointsRule: {
      points: num(v.pointsRule?.points),
      fen: money(['pointsRule', 'fen'], v.pointsRule?.fen),
      maxSharePercent: num(v.pointsRule?.maxSharePercent),
    },
    expiry: v.expiry,
    topUpTiers: (v.topUpTiers ?? []).map((t, i) => ({
      pay: money(['topUpTiers', i, 'pay'], t.pay),
      bonus: t.bonus?.trim() ? money(['topUpTiers', i, 'bonus'], t.bonus) : 0,
    })),
  };
  const parsed = ProgrammeSettings.safeParse(candidate);
  const taken = new Set(problems.map((p) => p.path.join('.')));
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
      // A field already refused as unreadable keeps that message.
      if (!taken.has(path.join('.'))) problems.push({ path, message: issue.message });
    }
  if (problems.length) return { problems };
  return { settings: parsed.data, problems };
}

export function blankLevel(previous?: LevelValues): LevelValues {
  return {
    name: '',
    threshold: '',
    discountPercent: previous?.discountPercent ?? 0,
    pointsMultiplierPercent: previous?.pointsMultiplierPercent ?? 100,
    freeShipping: previous?.freeShipping ?? false,
  };
}
