import { LatigoError } from '../../errors/index.js';

/** The Kafka endpoint port of Azure Event Hubs. */
export const EVENT_HUBS_KAFKA_PORT = 9093;

/** What Latigo needs from an Event Hubs connection string; the key itself stays in the string. */
export interface EventHubsConnection {
  /** `NAMESPACE.servicebus.windows.net` (or a sovereign cloud's suffix). */
  readonly host: string;
  readonly sharedAccessKeyName: string;
  /** The event hub (topic) an entity-level key is scoped to. */
  readonly entityPath?: string | undefined;
}

/**
 * Reads `Endpoint=sb://HOST/;SharedAccessKeyName=NAME;SharedAccessKey=KEY[;EntityPath=HUB]`:
 * parts split on `;`, each at its first `=` (base64 keys end in `=`). Errors name the part that
 * is wrong, never the key.
 */
export function parseEventHubsConnectionString(
  connectionString: string,
  key = 'task_queue.connection_string',
): EventHubsConnection {
  const parts = new Map<string, string>();
  for (const part of connectionString.trim().split(';')) {
    if (part.trim() === '') {
      continue;
    }
    const equals = part.indexOf('=');
    if (equals <= 0) {
      throw invalid(key, 'every part must look like Name=value');
    }
    parts.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }

  if (parts.has('SharedAccessSignature')) {
    throw invalid(
      key,
      'SharedAccessSignature tokens are not accepted by the Event Hubs Kafka endpoint; use a string with SharedAccessKeyName and SharedAccessKey',
    );
  }
  const endpoint = parts.get('Endpoint');
  if (endpoint === undefined || endpoint === '') {
    throw invalid(key, 'it has no Endpoint=sb://NAMESPACE.servicebus.windows.net/ part');
  }
  const host = /^sb:\/\/([^/:;]+)(?::\d+)?\/?$/i.exec(endpoint)?.[1];
  if (host === undefined) {
    throw invalid(
      key,
      `its Endpoint "${endpoint}" is not of the form sb://NAMESPACE.servicebus.windows.net/`,
    );
  }
  const sharedAccessKeyName = parts.get('SharedAccessKeyName');
  if (sharedAccessKeyName === undefined || sharedAccessKeyName === '') {
    throw invalid(key, 'it has no SharedAccessKeyName part');
  }
  const sharedAccessKey = parts.get('SharedAccessKey');
  if (sharedAccessKey === undefined || sharedAccessKey === '') {
    throw invalid(key, 'it has no SharedAccessKey part');
  }
  const entityPath = parts.get('EntityPath');
  return {
    host,
    sharedAccessKeyName,
    entityPath: entityPath === undefined || entityPath === '' ? undefined : entityPath,
  };
}

function invalid(key: string, problem: string): LatigoError {
  return new LatigoError(
    'CONFIG_INVALID',
    `${key}: not an Azure Event Hubs connection string: ${problem}`,
    { context: { key } },
  );
}
