// Emits actions.ts for one version: the action map type (request, response and sender of every
// action) and the runtime table of senders, checked against each other by `satisfies`; for a
// version with SEND (2.1), also the list of actions that travel as SEND.
import { directionsFor } from './directions';
import { header, isSendAction, type LoadedVersion } from './schemas';

const ROLE_WORDS = {
  'ocpp1.6': { cp: 'Charge Point', cs: 'Central System' },
  'ocpp2.0.1': { cp: 'Charging Station', cs: 'CSMS' },
  'ocpp2.1': { cp: 'Charging Station', cs: 'CSMS' },
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
    if (isSendAction(loaded, action)) {
      return [
        `  /** ${sentByDoc(sender)} Travels as a SEND (message type 6): never answered, so its \`response\` is \`never\`. */`,
        `  ${action}: { request: ${action}; response: never; sentBy: '${sender}'; messageType: 'SEND' };`,
      ].join('\n');
    }
    return [`  /** ${sentByDoc(sender)} */`, `  ${action}: { request: ${action}Request; response: ${action}Response; sentBy: '${sender}' };`].join('\n');
  });
  const sendActions = loaded.actions.filter((a) => isSendAction(loaded, a));
  const tableLines = loaded.actions.map((action) => `  ${action}: '${senders.get(action)!}',`);
  const roleNote =
    spec.version !== 'ocpp1.6'
      ? ` * ${spec.version.slice(4)} calls the two sides Charging Station and CSMS; this SDK uses the same words for\n` +
        ` * every version: \`'ChargePoint'\` is the Charging Station and \`'CentralSystem'\` the CSMS.\n`
      : '';
  const sendNote = sendActions.length
    ? ` * An action that travels as a SEND (message type 6) has \`messageType: 'SEND'\` and \`response: never\`;\n` +
      ` * the others travel as CALL and CALLRESULT.\n`
    : '';
  const sendList = sendActions.length
    ? `
/**
 * The ${spec.version} actions that travel as a SEND (message type 6): sent without a reply, and
 * never as a CALL. The \`satisfies\` clause checks each against {@link ${spec.prefix}ActionMap}'s \`messageType\`.
 */
export const ${spec.prefix}_SEND_ACTIONS = [${sendActions.map((a) => `'${a}'`).join(', ')}] as const satisfies readonly {
  [A in keyof ${spec.prefix}ActionMap]: ${spec.prefix}ActionMap[A] extends { messageType: 'SEND' } ? A : never;
}[keyof ${spec.prefix}ActionMap][];
`
    : '';

  return `${header(spec)}

import type {
${typeNames.map((n) => `  ${n},`).join('\n')}
} from './types';

/**
 * Every ${spec.version} action with its request and response types and the side that sends the
 * request (\`sentBy\`: \`'ChargePoint'\`, \`'CentralSystem'\` or \`'Both'\`).
${roleNote}${sendNote} */
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
${sendList}`;
}

/** Builds the text of index.ts for one version. */
export function generateIndex(loaded: LoadedVersion): string {
  return `${header(loaded.spec)}

export * from './actions';
export * from './types';
export { ${loaded.spec.sendActions.length ? 'sendValidators, ' : ''}validators } from './validators';
export type { ActionValidators, ErrorObjectLike, ValidateFunction } from './validators';
`;
}
