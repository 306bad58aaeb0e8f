import { performance } from 'node:perf_hooks';
import type { Phase } from './classify-error.ts';
import type { PhasesMs } from './contract.ts';

/**
 * Times a check phase by phase. `enter` closes the current phase's clock and
 * starts the next; `stop` closes the current one — also when the check failed
 * in it, so a stall shows under the phase it stalled in.
 */
export class PhaseClock {
  readonly phases: PhasesMs = {};
  phase: Phase;
  private started = performance.now();

  constructor(first: Phase) {
    this.phase = first;
  }

  enter(next: Phase): void {
    this.stop();
    this.phase = next;
    this.started = performance.now();
  }

  /** Moves to `next` without counting the current phase (e.g. no lookup for an IP address). */
  skipTo(next: Phase): void {
    this.phase = next;
    this.started = performance.now();
  }

  stop(): void {
    this.phases[this.phase] = performance.now() - this.started;
  }
}
