// Open defects: where real ingress-nginx and Contour + Envoy (configured by our output) answer
// differently and no finding of the tool names the difference. A traffic request listed here
// runs as `it.fails` (the suite stays green while the defect is open and turns red once it is
// fixed, so the entry gets deleted); a fuzz difference matching `fuzz` is counted as this defect
// instead of failing its case. The fix belongs in the mapping, the emitter or a finding, never
// in this table.
export interface FuzzDifference {
  cls: string;
  method: string;
  path: string;
  nginx: { status: number; backend: string; path?: string; location?: string };
  ours: { status: number; backend: string; path?: string; location?: string };
  /** `path pathType` of every Ingress path of the request's host. */
  hostPaths: string[];
}

export interface OpenDefect {
  /** Scenario id (traffic/scenarios.ts) the request belongs to. */
  scenario: string;
  /** Request or check name within the scenario. */
  request: string;
  /** Ingress + request + nginx's answer + our answer, and where the fix belongs. */
  defect: string;
  /** The same defect as the fuzzer sees it. */
  fuzz?: (d: FuzzDifference) => boolean;
}

// Empty: every difference real nginx showed is fixed or named by a finding.
export const OPEN_DEFECTS: OpenDefect[] = [];

export function openDefect(scenario: string, request: string): OpenDefect | undefined {
  return OPEN_DEFECTS.find((d) => d.scenario === scenario && d.request === request);
}

/** The open defect a fuzz difference is an instance of, if any. */
export function fuzzDefect(d: FuzzDifference): OpenDefect | undefined {
  return OPEN_DEFECTS.find((x) => x.fuzz?.(d));
}
