export { APIM_KEY_ENV, metadataApiStandinCommand } from './metadata-api-command.js';
export {
  SUBSCRIPTION_KEY_HEADER,
  startMetadataApiStandin,
  type MetadataApiStandin,
  type MetadataApiStandinOptions,
} from './metadata-api-standin.js';
export { MetadataStore, type StoredModelRecord } from './metadata-store.js';
