import { authSchema, type AuthConfig } from '../../auth/auth-config.js';
import { httpUrl } from '../../config/fields.js';
import { httpSettingsSchema, type HttpSettings } from '../../http/http-config.js';

/**
 * Connection keys shared by the scheduler's `models_metadata_info` and the executor's
 * `prediction_metadata_storage` sections when their type is `metadata_api`:
 * - `base_url`: the API root, e.g. `https://<host>/omnia-prevent` (required);
 * - `auth`: Azure AD client credentials and extra headers (Ocp-Apim-Subscription-Key); absent or
 *   empty client_id means no auth;
 * - `http`: timeout and retry policy (our own keys, see http/http-config.ts).
 */
export const metadataApiConnectionShape = {
  base_url: httpUrl(),
  auth: authSchema.optional(),
  http: httpSettingsSchema.prefault({}),
};

/** The connection keys of a metadata API section, once validated. */
export interface MetadataApiConnection {
  readonly base_url: string;
  readonly auth?: AuthConfig | undefined;
  readonly http: HttpSettings;
}
