import { LatigoError } from '../../errors/index.js';
import type { StandinModel, StandinModels } from './build-models.js';
import { defaultRevision, type GordoStandinConfig } from './standin-config.js';

/**
 * What the Gordo stand-in serves and can change at runtime: the current revision of each project
 * (switched to make clients meet a 410), models whose anomaly endpoint refuses (422), and revisions
 * deleted through the API.
 */
export class GordoStandinState {
  private readonly current = new Map<string, string>();
  private readonly anomalyRefused = new Set<string>();

  constructor(
    private readonly models: StandinModels,
    config: GordoStandinConfig,
  ) {
    for (const [project, definition] of Object.entries(config.projects)) {
      this.current.set(project, defaultRevision(definition));
      for (const [revision, revisionModels] of Object.entries(definition.revisions)) {
        for (const [name, model] of Object.entries(revisionModels)) {
          if (!model.anomaly_endpoint) {
            this.anomalyRefused.add(modelKey(project, revision, name));
          }
        }
      }
    }
  }

  projects(): string[] {
    return [...this.models.keys()];
  }

  hasProject(project: string): boolean {
    return this.models.has(project);
  }

  currentRevision(project: string): string | undefined {
    return this.current.get(project);
  }

  /** Revisions of a project, in the order they were configured. */
  revisions(project: string): string[] {
    return [...(this.models.get(project)?.keys() ?? [])];
  }

  hasRevision(project: string, revision: string): boolean {
    return this.models.get(project)?.has(revision) === true;
  }

  modelNames(project: string, revision: string): string[] {
    return [...(this.models.get(project)?.get(revision)?.keys() ?? [])];
  }

  model(project: string, revision: string, name: string): StandinModel | undefined {
    return this.models.get(project)?.get(revision)?.get(name);
  }

  /** Makes `revision` the one served by default. Throws CONFIG_INVALID when it is not known. */
  setCurrentRevision(project: string, revision: string): void {
    if (!this.hasRevision(project, revision)) {
      throw new LatigoError(
        'CONFIG_INVALID',
        `project ${project} has no revision ${revision}; known: ${this.revisions(project).join(', ') || 'none'}`,
      );
    }
    this.current.set(project, revision);
  }

  refusesAnomaly(project: string, revision: string, name: string): boolean {
    return this.anomalyRefused.has(modelKey(project, revision, name));
  }

  /** Turns the anomaly endpoint of one model at one revision on or off (off answers 422). */
  setAnomalyEndpoint(project: string, revision: string, name: string, enabled: boolean): void {
    if (this.model(project, revision, name) === undefined) {
      throw new LatigoError(
        'CONFIG_INVALID',
        `project ${project} has no model ${name} at revision ${revision}`,
      );
    }
    if (enabled) {
      this.anomalyRefused.delete(modelKey(project, revision, name));
    } else {
      this.anomalyRefused.add(modelKey(project, revision, name));
    }
  }

  /** Removes one model of one revision; the revision goes when it has no model left. */
  deleteModel(project: string, revision: string, name: string): void {
    const revisions = this.models.get(project);
    const models = revisions?.get(revision);
    models?.delete(name);
    if (models !== undefined && models.size === 0) {
      revisions?.delete(revision);
    }
  }

  /** A summary for the control endpoint. */
  describe(): Record<string, unknown> {
    return {
      projects: Object.fromEntries(
        this.projects().map((project) => [
          project,
          {
            current_revision: this.currentRevision(project),
            revisions: Object.fromEntries(
              this.revisions(project).map((revision) => [
                revision,
                this.modelNames(project, revision),
              ]),
            ),
          },
        ]),
      ),
      anomaly_endpoint_refused: [...this.anomalyRefused].sort(),
    };
  }
}

function modelKey(project: string, revision: string, name: string): string {
  return `${project}/${revision}/${name}`;
}
