import { Migration20261125000000Initial } from './20261125000000-initial.js';
import { Migration20261125030000Knowledge } from './20261125030000-knowledge.js';

/** Every migration in order. Listed explicitly so that they bundle and run under tsx alike. */
export const MIGRATIONS = [
  { name: 'Migration20261125000000Initial', class: Migration20261125000000Initial },
  { name: 'Migration20261125030000Knowledge', class: Migration20261125030000Knowledge },
];
