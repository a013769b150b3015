/**
 * Validation of rendered trees (schema + platform policy). The synth calls `validateStagedTree` on the freshly
 * rendered staging tree before swapping it into dist/; `platformctl validate` checks files on disk.
 */
export interface StagedTreeValidation {
  /** Staging root (contains <env>/ directories). */
  readonly root: string;
  /** Environments rendered into it. */
  readonly envs: readonly string[];
}

/** Throws a UserError describing every violation; returns normally when the tree is clean. */
export function validateStagedTree(_tree: StagedTreeValidation): void {
  // Placeholder until the validation gate lands.
}
