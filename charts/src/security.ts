import * as kplus from 'cdk8s-plus-28';

/** Non-root UID/GID used when an image does not define its own (distroless "nonroot"). */
export const NONROOT_UID = 65532;

/**
 * The Pod Security Standards "restricted" profile for a container: non-root, no privilege escalation,
 * all capabilities dropped, RuntimeDefault seccomp, read-only root filesystem (writable paths are volumes).
 */
export function restrictedContainer(overrides: Partial<kplus.ContainerSecurityContextProps> = {}): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
    ...overrides,
  };
}

/** Pod-level half of the restricted profile. */
export function restrictedPod(uid: number = NONROOT_UID, overrides: Partial<kplus.PodSecurityContextProps> = {}): kplus.PodSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: uid,
    group: uid,
    fsGroup: uid,
    fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
    ...overrides,
  };
}
