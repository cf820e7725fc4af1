export * from './money';
export * from './errors';
export * from './ids';
export * from './catalog';
export * from './contract';
export * from './client';
