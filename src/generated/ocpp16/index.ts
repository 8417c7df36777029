// GENERATED, DO NOT EDIT. Source: schemas/ocpp1.6/ (OCA JSON schemas via ocpp-rpc 2.2.1). Generator: scripts/generate.ts (npm run generate).

export * from './actions';
export * from './types';
export { validators } from './validators';
export type { ActionValidators, ErrorObjectLike, ValidateFunction } from './validators';
