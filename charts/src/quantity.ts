import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

/** CPU as Kubernetes writes it: millicores (`250m`) or cores (`1`, `1.5`). */
export const CPU_PATTERN = /^(\d+m|\d+(\.\d{1,3})?)$/;
/** Memory or storage with a binary suffix (`512Mi`, `2Gi`, `1Ti`). */
export const BYTES_PATTERN = /^\d+(Ki|Mi|Gi|Ti)$/;

export const CPU_HINT = 'a CPU quantity like "250m" or "1.5"';
export const BYTES_HINT = 'a quantity with a binary suffix like "512Mi", "2Gi" or "1Ti"';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** Millicores of a CPU quantity; throws on anything else. */
export function cpuMillis(quantity: string): number {
  if (!CPU_PATTERN.test(quantity)) throw new Error(`"${quantity}" is not ${CPU_HINT}`);
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

/** Bytes of a memory/storage quantity; throws on anything else. */
export function bytes(quantity: string): number {
  const match = BYTES_PATTERN.exec(quantity);
  if (!match) throw new Error(`"${quantity}" is not ${BYTES_HINT}`);
  return Number(quantity.slice(0, -2)) * BINARY[match[1]];
}

/** cdk8s-plus CPU from a Kubernetes quantity string. */
export function cpu(quantity: string): kplus.Cpu {
  const millis = cpuMillis(quantity);
  return millis % 1000 === 0 ? kplus.Cpu.units(millis / 1000) : kplus.Cpu.millis(millis);
}

/** cdk8s Size from a Kubernetes quantity string (rendered by cdk8s-plus in Mi). */
export function size(quantity: string): Size {
  const value = Number(quantity.slice(0, -2));
  switch (quantity.slice(-2)) {
    case 'Ki': return Size.kibibytes(value);
    case 'Mi': return Size.mebibytes(value);
    case 'Gi': return Size.gibibytes(value);
    case 'Ti': return Size.tebibytes(value);
    default: throw new Error(`"${quantity}" is not ${BYTES_HINT}`);
  }
}
