/** Hands out bearer tokens for one API; implementations cache and renew them. */
export interface TokenProvider {
  /** A valid access token. Throws AUTH_FAILED (naming the config section) when none can be had. */
  getToken(signal?: AbortSignal): Promise<string>;
  /**
   * Forgets the cached token, so the next getToken fetches a new one. Called when a server
   * rejects a token with 401 before it expired (revoked, signing key rotated).
   */
  invalidate?(): void;
}
