export { GORDO_DEFAULT_PORT, gordoStandinCommand } from './command.js';
export { startGordoStandin, type GordoStandin, type GordoStandinOptions } from './gordo-standin.js';
export {
  gordoStandinConfigSchema,
  loadGordoStandinConfig,
  parseGordoStandinConfig,
  type GordoStandinConfig,
  type LoadedStandinConfig,
} from './standin-config.js';
export { GordoStandinState } from './standin-state.js';
