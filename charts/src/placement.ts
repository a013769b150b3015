import * as kplus from 'cdk8s-plus-28';
import { LABELS } from './labels';
import { NodeRole, PlatformContext, Taint } from './platform-context';

const EFFECTS: Record<Taint['effect'], kplus.TaintEffect> = {
  NoSchedule: kplus.TaintEffect.NO_SCHEDULE,
  PreferNoSchedule: kplus.TaintEffect.PREFER_NO_SCHEDULE,
  NoExecute: kplus.TaintEffect.NO_EXECUTE,
};

/**
 * Where pods run. Platform add-ons run on `node-type: core` nodes, tenant apps on `node-type: worker` nodes;
 * each tolerates the taints of its pools. DaemonSets run on every node and tolerate everything.
 */
export class Placement {
  /** Platform add-ons: core nodes. */
  static core(ctx: PlatformContext): Placement {
    return Placement.onRole(ctx, 'core');
  }

  /** Tenant apps: worker nodes. */
  static worker(ctx: PlatformContext): Placement {
    return Placement.onRole(ctx, 'worker');
  }

  /** Node agents (DaemonSets): every node, whatever its taints. */
  static everywhere(): Placement {
    return new Placement(undefined, []);
  }

  private static onRole(ctx: PlatformContext, role: NodeRole): Placement {
    const pools = ctx.nodePools.filter((p) => p.role === role);
    if (pools.length === 0) {
      throw new Error(`environment ${ctx.environment} has no node pool with role "${role}"`);
    }
    const taints = new Map<string, Taint>();
    for (const taint of pools.flatMap((p) => p.taints)) {
      taints.set(`${taint.key}=${taint.value ?? ''}:${taint.effect}`, taint);
    }
    const sorted = [...taints.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, t]) => t);
    return new Placement(role, sorted);
  }

  private constructor(
    /** The node-type the pods require; undefined means any node. */
    readonly role: NodeRole | undefined,
    /** Taints tolerated; empty with no role means "tolerate everything". */
    readonly taints: readonly Taint[],
  ) {}

  applyTo(workload: kplus.Workload): void {
    if (this.role === undefined) {
      workload.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.any()));
      return;
    }
    workload.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is(LABELS.nodeType, this.role)));
    for (const taint of this.taints) {
      const query = taint.value === undefined
        ? kplus.NodeTaintQuery.exists(taint.key, { effect: EFFECTS[taint.effect] })
        : kplus.NodeTaintQuery.is(taint.key, taint.value, { effect: EFFECTS[taint.effect] });
      workload.scheduling.tolerate(kplus.Node.tainted(query));
    }
  }
}
