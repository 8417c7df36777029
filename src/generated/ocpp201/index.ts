// GENERATED, DO NOT EDIT. Source: schemas/ocpp2.0.1/ (OCA JSON schemas, patched in memory by scripts/codegen/patches.ts). Generator: scripts/generate.ts (npm run generate).

export * from './actions';
export * from './types';
export { validators } from './validators';
export type { ActionValidators, ErrorObjectLike, ValidateFunction } from './validators';
