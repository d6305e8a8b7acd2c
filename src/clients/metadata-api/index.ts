export { MetadataApiClient, type MetadataApiClientOptions } from './metadata-api-client.js';
export { metadataApiConnectionShape } from './metadata-api-config.js';
export {
  buildMetadataRecord,
  type MetadataInputTag,
  type MetadataOutputTag,
  type MetadataRecord,
} from './metadata-record.js';
export { pythonJsonDumps, pythonUtcString } from './python-format.js';
