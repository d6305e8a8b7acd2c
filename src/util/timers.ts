/**
 * The longest delay Node.js timers take (2^31 - 1 ms, about 24.8 days). A longer one is not an
 * error to Node: it warns and fires after 1 ms instead.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** `MAX_TIMER_MS` in whole seconds, for settings given in seconds. */
export const MAX_TIMER_SECONDS = Math.floor(MAX_TIMER_MS / 1000);
