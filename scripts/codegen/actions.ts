// Emits actions.ts for one version: the action map type (request, response and sender of every
// action) and the runtime table of senders, checked against each other by `satisfies`.
import { directionsFor } from './directions';
import { header, type LoadedVersion } from './schemas';

const ROLE_WORDS = {
  'ocpp1.6': { cp: 'Charge Point', cs: 'Central System' },
  'ocpp2.0.1': { cp: 'Charging Station', cs: 'CSMS' },
} as const;

/** Builds the text of actions.ts for one version. */
export function generateActions(loaded: LoadedVersion): string {
  const { spec } = loaded;
  const senders = directionsFor(loaded);
  const words = ROLE_WORDS[spec.version];
  const typeNames = loaded.messages.map((m) => m.typeName);
  const sentByDoc = (sender: string): string =>
    sender === 'ChargePoint' ? `Sent by the ${words.cp}.` : sender === 'CentralSystem' ? `Sent by the ${words.cs}.` : `Sent by either side.`;

  const mapLines = loaded.actions.map((action) => {
    const sender = senders.get(action)!;
    return [`  /** ${sentByDoc(sender)} */`, `  ${action}: { request: ${action}Request; response: ${action}Response; sentBy: '${sender}' };`].join('\n');
  });
  const tableLines = loaded.actions.map((action) => `  ${action}: '${senders.get(action)!}',`);
  const roleNote =
    spec.version === 'ocpp2.0.1'
      ? ` * 2.0.1 calls the two sides Charging Station and CSMS; this SDK uses the same words for both\n` +
        ` * versions: \`'ChargePoint'\` is the Charging Station and \`'CentralSystem'\` the CSMS.\n`
      : '';

  return `${header(spec)}

import type {
${typeNames.map((n) => `  ${n},`).join('\n')}
} from './types';

/**
 * Every ${spec.version} action with its request and response types and the side that sends the
 * request (\`sentBy\`: \`'ChargePoint'\`, \`'CentralSystem'\` or \`'Both'\`).
${roleNote} */
export interface ${spec.prefix}ActionMap {
${mapLines.join('\n')}
}

/**
 * Who sends each ${spec.version} action's request, at run time. The \`satisfies\` clause makes the
 * compiler check that this table and {@link ${spec.prefix}ActionMap} list the same actions.
${roleNote} */
export const ${spec.prefix}_ACTIONS = {
${tableLines.join('\n')}
} as const satisfies Record<keyof ${spec.prefix}ActionMap, 'ChargePoint' | 'CentralSystem' | 'Both'>;
`;
}

/** Builds the text of index.ts for one version. */
export function generateIndex(loaded: LoadedVersion): string {
  return `${header(loaded.spec)}

export * from './actions';
export * from './types';
export { validators } from './validators';
export type { ActionValidators, ErrorObjectLike, ValidateFunction } from './validators';
`;
}
