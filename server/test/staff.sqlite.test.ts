/** Staff management's SQL is portable: the same calls on SQLite, the database `npm start` uses. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/main/data-source';
import { AuditLogEntity } from '../src/modules/auth/audit-log.entity';
import type { StaffPrincipal } from '../src/modules/auth/principal';
import { SessionService } from '../src/modules/auth/session.service';
import { StaffService } from '../src/modules/auth/staff.service';

let db: DataSource;
let sessions: SessionService;
let staff: StaffService;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chatmall-sqlite-staff-'));
  db = createDataSource({ db: { url: `sqlite:${path.join(dir, 'db.sqlite')}`, poolSize: 1, connectTimeoutMs: 2000 } });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  sessions = new SessionService(db);
  staff = new StaffService(db, sessions);
});
afterAll(async () => db?.destroy());

const principal = (id: string): StaffPrincipal => ({ kind: 'staff', staffId: id, role: 'owner', sessionId: 'x' });

it('adds, lists, changes role, disables and resets on SQLite, ending sessions, never losing the last owner', async () => {
  const boss = await staff.create({}, principal('staff_seed'), {
    username: 'boss',
    displayName: '老板',
    role: 'owner',
    password: 'owner-password-1',
  });
  const me = principal(boss.id);
  const clerk = await staff.create({}, me, {
    username: 'clerk',
    displayName: '店员',
    role: 'clerk',
    password: 'clerk-password-1',
  });
  await expect(
    staff.create({}, me, { username: 'clerk', displayName: '重名', role: 'clerk', password: 'clerk-password-2' }),
  ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });

  const t = await sessions.issue('staff', clerk.id);
  expect((await staff.list()).map((s) => [s.username, s.role, s.disabled, s.lastSignInAt !== null])).toEqual([
    ['boss', 'owner', false, false],
    ['clerk', 'clerk', false, true],
  ]);

  expect(await staff.update({}, me, clerk.id, { role: 'marketer', disabled: true })).toMatchObject({
    role: 'marketer',
    disabled: true,
  });
  expect(await sessions.resolve(t.accessToken)).toBeNull();

  const t2 = await sessions.issue('staff', clerk.id);
  await staff.update({}, me, clerk.id, { disabled: false });
  await staff.resetPassword({}, me, clerk.id, 'a-new-password-1');
  expect(await sessions.resolve(t2.accessToken)).toBeNull();

  // A stale principal of a demoted owner cannot take the last owner away.
  const second = await staff.create({}, me, {
    username: 'boss2',
    displayName: '二老板',
    role: 'owner',
    password: 'owner-password-2',
  });
  await staff.update({}, me, second.id, { role: 'clerk' });
  await expect(staff.update({}, principal(second.id), boss.id, { disabled: true })).rejects.toMatchObject({
    code: 'CONFLICT',
  });

  const actions = (await db.getRepository(AuditLogEntity).find({ where: { entityId: clerk.id } })).map((a) => a.action);
  expect(actions.sort()).toEqual(['staff.create', 'staff.disable', 'staff.enable', 'staff.password', 'staff.role']);
});
