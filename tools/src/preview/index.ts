/**
 * `platformctl preview`: what dist/<env>/ would change in the live cluster, by server-side dry-run
 * (`kubectl diff --server-side`) in GitOps sync order, plus the objects the sync would prune.
 * The identity CI uses for it is the PreviewIdentity construct.
 */
export * from './classify';
export * from './identity';
export * from './kubectl';
export * from './kubectl-diff';
export * from './plan';
export * from './preview';
export * from './prune';
export * from './report';
