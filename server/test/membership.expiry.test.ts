/**
 * Points expiry (acceptance 6): points earned in a year expire at the end of the next (China
 * time); spending takes from the lots that expire first; the sweep expires what is left of each
 * lot past its time, oldest first, and a second run changes nothing; the balance always equals
 * the lots' sum and the ledger's.
 */
import { randomBytes } from 'node:crypto';
import { newId } from '@chatmall/shared';
import { noTx } from '../src/kernel/tx';
import { MemberEntity, PointsLotEntity } from '../src/modules/membership/membership.entity';
import { defaultProgramme, expiryFor } from '../src/modules/membership/programme.service';
import { startStack, type TestStack } from './support/harness';
import { makeBuyer, makeStaff } from './support/people';

let stack: TestStack;
let actor: { kind: 'staff'; staffId: string; role: 'owner'; sessionId: string };

beforeAll(async () => {
  stack = await startStack();
  const owner = await makeStaff(stack.db, 'owner');
  actor = { kind: 'staff', staffId: owner.id, role: 'owner', sessionId: 'test' };
  await stack.app.services.membershipProgramme.save(noTx, actor, { ...defaultProgramme, enabled: true });
}, 60_000);
afterAll(async () => stack?.close());

async function makeMember() {
  const buyer = await makeBuyer(stack.db, 'expiring');
  const id = newId('member');
  await stack.db.getRepository(MemberEntity).insert({
    id,
    buyerId: buyer.id,
    memberNo: String(1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)),
    phone: '13600001111',
    name: null,
    levelIndex: 0,
    codeSecret: randomBytes(32).toString('hex'),
    cardStatus: 'NONE',
  });
  return id;
}
const at = (iso: string) => new Date(iso);
const give = (memberId: string, delta: number, when: string) =>
  stack.app.services.points.adjust(
    noTx,
    actor,
    memberId,
    { delta, reason: 'test', requestKey: newId('order').slice(4, 30) },
    at(when),
  );
async function state(memberId: string) {
  const m = await stack.db.getRepository(MemberEntity).findOneByOrFail({ id: memberId });
  const lots = await stack.db.getRepository(PointsLotEntity).find({ where: { memberId }, order: { id: 'ASC' } });
  const [{ d }] = await stack.db.query('SELECT COALESCE(SUM(delta),0) AS d FROM points_entries WHERE member_id = ?', [
    memberId,
  ]);
  return { points: m.points, lots: lots.map((l) => l.remaining), ledger: Number(d) };
}

it('the rule: earned in 2026 (China time) expires at 2028-01-01 00:00 +08:00', () => {
  const s = { ...defaultProgramme };
  expect(expiryFor(s, at('2026-03-01T00:00:00Z'))?.toISOString()).toBe('2027-12-31T16:00:00.000Z');
  // 2026-12-31 20:00 UTC is already 2027 in China.
  expect(expiryFor(s, at('2026-12-31T20:00:00Z'))?.toISOString()).toBe('2028-12-31T16:00:00.000Z');
  expect(expiryFor({ ...s, expiry: { kind: 'never' } }, at('2026-03-01T00:00:00Z'))).toBeNull();
});

it('spends the lots that expire first, expires the rest oldest first, and a second run changes nothing', async () => {
  const id = await makeMember();
  await give(id, 100, '2026-03-01T00:00:00Z'); // lot A, expires end of 2027
  await give(id, 200, '2027-06-01T00:00:00Z'); // lot B, expires end of 2028
  await give(id, 50, '2026-11-01T00:00:00Z'); // lot C, expires end of 2027 too (made later)
  await give(id, -120, '2027-07-01T00:00:00Z'); // takes A's 100, then 20 of C (same expiry, older first)
  expect(await state(id)).toEqual({ points: 230, lots: [0, 200, 30], ledger: 230 });

  const { points } = stack.app.services;
  expect(await points.expire(at('2027-12-31T15:59:59Z'))).toBe(0); // not yet
  expect(await points.expire(at('2028-01-02T00:00:00Z'))).toBe(30); // C's rest; B stays
  expect(await state(id)).toEqual({ points: 200, lots: [0, 200, 0], ledger: 200 });
  expect(await points.expire(at('2028-01-02T00:00:00Z'))).toBe(0); // the second run: nothing
  expect(await state(id)).toEqual({ points: 200, lots: [0, 200, 0], ledger: 200 });

  expect(await points.expire(at('2029-01-01T00:00:00Z'))).toBe(200);
  expect(await state(id)).toEqual({ points: 0, lots: [0, 0, 0], ledger: 0 });
  const history = await points.history(id, { limit: 10 });
  expect(history.items.filter((e) => e.kind === 'EXPIRE').map((e) => e.delta)).toEqual([-200, -30]);
});

it('two sweeps at once expire each lot once', async () => {
  const id = await makeMember();
  await give(id, 70, '2026-02-01T00:00:00Z');
  await give(id, 30, '2026-04-01T00:00:00Z');
  const { points } = stack.app.services;
  const runs = await Promise.all([
    points.expire(at('2028-06-01T00:00:00Z')),
    points.expire(at('2028-06-01T00:00:00Z')),
  ]);
  expect(runs[0] + runs[1]).toBe(100);
  expect(await state(id)).toEqual({ points: 0, lots: [0, 0], ledger: 0 });
});
