/** Benchmark scenarios: later features add theirs here. Paths are inside the load tenant unless `platform` is set. */
export interface Scenario {
  name: string;
  path: string;
  /** Sign in as the load agent first. */
  signedIn: boolean;
  /** Outside any tenant (e.g. /healthz). */
  platform?: boolean;
  headers?: Record<string, string>;
  /** The DESIGN.md budget for p95, in milliseconds, when there is one. */
  budgetP95Ms?: number;
}

export const scenarios: Scenario[] = [
  { name: 'healthz', path: '/healthz', signedIn: false, platform: true },
  { name: 'dashboard', path: '/desk', signedIn: true },
];
