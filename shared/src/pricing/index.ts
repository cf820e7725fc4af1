export * from './basics';
export * from './allocate';
export * from './member';
export * from './coupons';
export * from './checkout';
export * from './refund';
