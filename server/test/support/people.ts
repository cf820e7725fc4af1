/**
 * Test people: buyers and staff with real sessions issued by the session service (the
 * sign-in step itself is covered by the login tests).
 */
import { newId, type StaffRole } from '@chatmall/shared';
import type { DataSource } from 'typeorm';
import { AddressEntity } from '../../src/modules/addresses/address.entity';
import { BuyerEntity } from '../../src/modules/auth/buyer.entity';
import { LoginService } from '../../src/modules/auth/login.service';
import { SessionService } from '../../src/modules/auth/session.service';
import { getJson } from './harness';

export interface TestBuyer {
  id: string;
  token: string;
  addressId: string;
  auth: { authorization: string };
}

export async function makeBuyer(db: DataSource, name = 'buyer'): Promise<TestBuyer> {
  const id = newId('buyer');
  await db
    .getRepository(BuyerEntity)
    .insert({ id, openid: `o_${name}_${id.slice(-10)}`, unionid: null, nickname: name, lastLoginAt: new Date() });
  const addressId = newId('address');
  await db.getRepository(AddressEntity).insert({
    id: addressId,
    buyerId: id,
    recipient: '张三',
    phone: '13800138000',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: '龙井路 1 号',
    isDefault: true,
  });
  const { accessToken } = await new SessionService(db).issue('buyer', id);
  return { id, token: accessToken, addressId, auth: { authorization: `Bearer ${accessToken}` } };
}

export async function makeStaff(
  db: DataSource,
  role: StaffRole,
): Promise<{ id: string; token: string; auth: { authorization: string } }> {
  const sessions = new SessionService(db);
  const logins = new LoginService(db, sessions, { exchange: async () => Promise.reject(new Error('not used')) });
  const staff = await logins.createStaff({
    username: `${role}_${newId('staff').slice(-8)}`,
    displayName: role,
    role,
    password: 'correct horse battery',
  });
  const { accessToken } = await sessions.issue('staff', staff.id);
  return { id: staff.id, token: accessToken, auth: { authorization: `Bearer ${accessToken}` } };
}

export async function api(base: string, method: string, path: string, auth?: Record<string, string>, body?: unknown) {
  const res = await getJson(base + path, {
    method,
    headers: { ...(auth ?? {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.body };
}
