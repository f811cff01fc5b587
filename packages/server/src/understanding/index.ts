export type * from './types.js';
export { understand } from './understand.js';
