/**
 * The layering rules of DESIGN.md, checked over the real tree (scripts/architecture.ts):
 * modules never import another module's entities or repositories, wechat/ has no Koa or
 * TypeORM, shared/ has no Node, kernel/ does not import modules/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  analyseArchitecture,
  checkArchitecture,
  formatViolation,
  isNodeBuiltin,
  type Violation,
} from '../../scripts/architecture';

const repoRoot = path.resolve(__dirname, '../..');
const brief = (vs: Violation[]) => vs.map((v) => ({ file: v.file, import: v.import, rule: v.rule }));

describe('the real tree', () => {
  it('breaks no layering rule', () => {
    // Printed as `file:line → import (rule)` when it fails.
    expect(checkArchitecture(repoRoot).map(formatViolation)).toEqual([]);
  });

  it('has no allowance left that matches nothing', () => {
    expect(analyseArchitecture(repoRoot).unusedAllowances.map((a) => `${a.file} (${a.rule})`)).toEqual([]);
  });
});

describe('a deliberately bad tree (server/test/fixtures/architecture-bad)', () => {
  it('fails with exactly its three violations', () => {
    const found = checkArchitecture(path.join(__dirname, 'fixtures/architecture-bad'));
    expect(brief(found)).toEqual([
      {
        file: 'server/src/modules/payments/x.service.ts',
        import: '../orders/order.entity',
        rule: 'module-imports-foreign-entity',
      },
      { file: 'server/src/wechat/x.ts', import: 'koa', rule: 'wechat-imports-infrastructure' },
      { file: 'shared/src/x.ts', import: 'node:fs', rule: 'shared-imports-node' },
    ]);
    expect(found.map(formatViolation)).toContain(
      'server/src/modules/payments/x.service.ts:2 → ../orders/order.entity (module-imports-foreign-entity)',
    );
  });
});

describe('every way of importing is seen', () => {
  let root: string;
  const write = (files: Record<string, string>) => {
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
  };
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'architecture-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('type imports, re-exports, require, import() and import types of a foreign entity', () => {
    write({
      'server/src/modules/orders/order.entity.ts': 'export class OrderEntity {}\n',
      'server/src/modules/orders/order.repository.ts': 'export const orderRepository = {};\n',
      'server/src/modules/coupons/a.ts': "import type { OrderEntity } from '../orders/order.entity';\n",
      'server/src/modules/coupons/b.ts': "import { type OrderEntity as O } from '../orders/order.entity.js';\n",
      'server/src/modules/coupons/c.ts': "export { OrderEntity } from '../orders/order.entity';\n",
      'server/src/modules/coupons/d.ts': "export * from '../orders/order.repository';\n",
      'server/src/modules/coupons/e.ts': "const m = require('../orders/order.entity');\n",
      'server/src/modules/coupons/f.ts': "const load = () => import('../orders/order.entity');\n",
      'server/src/modules/coupons/g.ts': "let t: typeof import('../orders/order.entity').OrderEntity;\n",
      'server/src/modules/coupons/h.ts': "import x = require('../orders/order.entity');\n",
      'server/src/modules/coupons/nested/i.ts': "import { OrderEntity } from '../../orders/order.entity';\n",
    });
    expect(
      checkArchitecture(root)
        .map((v) => `${v.file.replace('server/src/modules/coupons/', '')} ${v.rule}`)
        .sort(),
    ).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'nested/i'].map((f) => `${f}.ts module-imports-foreign-entity`));
  });

  it('a barrel that re-exports an entity is a side door; its services are not', () => {
    write({
      'server/src/modules/orders/order.entity.ts': 'export class OrderEntity {}\n',
      'server/src/modules/orders/order.service.ts': 'export class OrderService {}\n',
      'server/src/modules/orders/index.ts': [
        "export { OrderService } from './order.service';",
        "import { OrderEntity } from './order.entity';",
        'export { OrderEntity as Order };',
        "export * as entities from './inner';",
      ].join('\n'),
      'server/src/modules/orders/inner.ts': "export * from './order.entity';\n",
      'server/src/modules/coupons/service-only.ts': "import { OrderService } from '../orders';\n",
      'server/src/modules/coupons/renamed.ts': "import { Order } from '../orders';\n",
      'server/src/modules/coupons/namespace.ts': "import * as orders from '../orders';\n",
      'server/src/modules/coupons/nested.ts': "import { entities } from '../orders/index';\n",
    });
    expect(
      checkArchitecture(root)
        .map((v) => `${v.file} via ${v.via}`)
        .sort(),
    ).toEqual([
      'server/src/modules/coupons/namespace.ts via server/src/modules/orders/order.entity.ts',
      'server/src/modules/coupons/nested.ts via server/src/modules/orders/order.entity.ts',
      'server/src/modules/coupons/renamed.ts via server/src/modules/orders/order.entity.ts',
    ]);
  });

  it('a module may use its own entities, other modules’ services and the entity registry', () => {
    write({
      'server/src/modules/entities.ts': "import { OrderEntity } from './orders/order.entity';\n",
      'server/src/modules/orders/order.service.ts': "import { OrderEntity } from './order.entity';\n",
      'server/src/modules/payments/p.ts': [
        "import { OrderService } from '../orders/order.service';",
        "import { entities } from '../entities';",
        "import { OutboxEventEntity } from '../../kernel/outbox.entity';",
        "import { Repository } from 'typeorm';",
      ].join('\n'),
    });
    expect(checkArchitecture(root)).toEqual([]);
  });

  it('wechat/: Koa, koa-*, @koa/*, TypeORM and the shop’s own layers are refused', () => {
    write({
      'server/src/wechat/a.ts': [
        "import type Router from 'koa-router';",
        "import cors from '@koa/cors';",
        "import { DataSource } from 'typeorm';",
        "import { Column } from 'typeorm/decorator/columns/Column';",
        "import { OrderService } from '../modules/orders/order.service';",
        "import { errors } from '../http/middleware/errors';",
        // Allowed:
        "import { XMLParser } from 'fast-xml-parser';",
        "import type { Redis } from 'ioredis';",
        "import { koala } from 'koala';",
        "import { store } from './store';",
      ].join('\n'),
    });
    expect(checkArchitecture(root).map((v) => `${v.import} ${v.rule}`)).toEqual([
      'koa-router wechat-imports-infrastructure',
      '@koa/cors wechat-imports-infrastructure',
      'typeorm wechat-imports-infrastructure',
      'typeorm/decorator/columns/Column wechat-imports-infrastructure',
      '../modules/orders/order.service wechat-imports-app',
      '../http/middleware/errors wechat-imports-app',
    ]);
  });

  it('shared/: Node built-ins in every spelling and files outside shared/ are refused', () => {
    write({
      'shared/src/a.ts': [
        "import { readFile } from 'fs/promises';",
        "import path from 'path';",
        "import type { Buffer } from 'buffer';",
        "export { createHash } from 'node:crypto';",
        "import { sqlite } from 'node:sqlite';",
        "import { config } from '../../server/src/kernel/config';",
        // Allowed:
        "import { z } from 'zod';",
        "import { money } from './path';",
        "import { ids } from '../src/ids';",
      ].join('\n'),
    });
    expect(checkArchitecture(root).map((v) => `${v.import} ${v.rule}`)).toEqual([
      'fs/promises shared-imports-node',
      'path shared-imports-node',
      'buffer shared-imports-node',
      'node:crypto shared-imports-node',
      'node:sqlite shared-imports-node',
      '../../server/src/kernel/config shared-imports-outside',
    ]);
    expect(isNodeBuiltin('zod')).toBe(false);
  });

  it('kernel/ may not import modules/, except by a listed allowance', () => {
    write({
      'server/src/kernel/db.ts': "import { entities } from '../modules/entities';\n",
      'server/src/kernel/outbox.ts': "import { OrderService } from '../modules/orders/order.service';\n",
    });
    const allowance = {
      rule: 'kernel-imports-module' as const,
      file: 'server/src/kernel/db.ts',
      target: 'server/src/modules/entities.ts',
      why: 'test',
    };
    const stale = { ...allowance, file: 'server/src/kernel/redis.ts' };
    const report = analyseArchitecture(root, [allowance, stale]);
    expect(report.violations.map(formatViolation)).toEqual([
      'server/src/kernel/outbox.ts:1 → ../modules/orders/order.service (kernel-imports-module)',
    ]);
    expect(report.allowed.map((v) => v.file)).toEqual(['server/src/kernel/db.ts']);
    expect(report.unusedAllowances).toEqual([stale]);
    expect(checkArchitecture(root, []).map((v) => v.file)).toEqual([
      'server/src/kernel/db.ts',
      'server/src/kernel/outbox.ts',
    ]);
  });
});
