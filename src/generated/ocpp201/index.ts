// GENERATED, DO NOT EDIT. Source: schemas/ocpp2.0.1/ (OCA JSON schemas via ocpp-rpc 2.2.1). Generator: scripts/generate.ts (npm run generate).

export * from './actions';
export * from './types';
export { validators } from './validators';
export type { ActionValidators, ErrorObjectLike, ValidateFunction } from './validators';
