export * from './plan-limits.js';
export * from './plan-routes.js';
export * from './seats.js';
