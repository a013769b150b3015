export * from './spec';
export * from './tenant';
