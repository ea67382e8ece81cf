// Open defects: requests where real ingress-nginx and Contour + Envoy (configured by our output)
// answer differently and no finding of the tool names the difference. Each entry runs as
// `it.fails` (the suite stays green while the defect is open, and turns red once it is fixed, so
// the entry gets deleted). The fix belongs in the mapping or in a finding, never in this table.
export interface OpenDefect {
  /** Scenario id (traffic/scenarios.ts) or `fuzz:<class>` for a fuzz reproducer. */
  scenario: string;
  /** Request or check name within the scenario. */
  request: string;
  /** Ingress + request + nginx's answer + our answer, in one line each. */
  defect: string;
}

export const OPEN_DEFECTS: OpenDefect[] = [];

export function openDefect(scenario: string, request: string): OpenDefect | undefined {
  return OPEN_DEFECTS.find((d) => d.scenario === scenario && d.request === request);
}
