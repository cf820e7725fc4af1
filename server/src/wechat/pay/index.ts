/** WeChat Pay API v3: protocol only (no Koa, no TypeORM). */
export * from './client';
export * from './crypto';
export * from './errors';
export * from './http';
export * from './keyring';
export * from './notification';
export * from './types';
export * from './verify';
export * from './wechat-pay';
