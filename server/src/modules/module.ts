/**
 * What a module contributes to the two processes: API routes (bound to the contract),
 * system routes (probes and WeChat's server-to-server callbacks, outside the JSON API),
 * jobs with their schedules (worker), and subscribers to domain events (worker). The
 * composition root (`main/compose.ts`) builds each module once and collects these.
 */
import type { Processor, Queue } from 'bullmq';
import type Router from 'koa-router';
import type { DataSource } from 'typeorm';
import type { ContractRouter } from '../http/contract-router';
import type { Config } from '../kernel/config';
import type { Logger } from '../kernel/logger';
import type { QueueName } from '../kernel/queues';
import type { Redis } from '../kernel/redis';
import type { MiniProgramApi } from '../wechat/miniprogram/miniprogram';
import type { WechatPay } from '../wechat/pay/wechat-pay';
import type { Subscribers } from './events';

/** Infrastructure and WeChat clients, built once and handed to every module. */
export interface Kernel {
  config: Config;
  log: Logger;
  db: DataSource;
  redis: Redis;
  /** A BullMQ queue, opened on first use (only the worker and tests that enqueue open any). */
  queue(name: QueueName): Queue;
  wechat: { pay: WechatPay; miniProgram: MiniProgramApi };
}

export interface JobSet {
  queue: QueueName;
  concurrency: number;
  processor: Processor;
  /** Repeating jobs, upserted by id (however many workers start, one schedule each). */
  schedules?: { id: string; everyMs: number; data?: Record<string, unknown> }[];
  /** Schedules a previous version registered and this one no longer has. */
  retiredSchedules?: string[];
  /** BullMQ lock timing for this queue's worker (ms); BullMQ's defaults when absent. */
  timing?: { lockDuration?: number; stalledInterval?: number; maxStalledCount?: number };
}

export interface AppModule<S extends object = object> {
  name: string;
  /** The module's services, for the modules built after it and for tests. */
  services: S;
  routes?(api: ContractRouter): void;
  systemRoutes?(router: Router): void;
  jobs?: JobSet[];
  subscribe?(on: Subscribers): void;
  /** Closes connections of its own (a Redis Cluster client), when the composition closes. */
  close?(): Promise<void>;
}
