export * from './model';
export type { AddonSettings } from './addons';
