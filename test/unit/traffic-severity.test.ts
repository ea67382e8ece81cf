// Severity follows traffic: every difference the traffic suite observes between real nginx and
// Contour + Envoy is named by a finding (`differs`), and that finding is at least `warn`, since
// it describes a different answer to a request. `info` is only for what no request can observe.
import { describe, expect, it } from 'vitest';
import { severityAtLeast } from '../../src/model/findings.js';
import { controllerOf } from '../e2e/traffic/controller.js';
import { PREFIX, scenarioYaml } from '../e2e/traffic/model.js';
import { scenarios } from '../e2e/traffic/scenarios.js';
import { convertYaml } from '../support/convert.js';

describe('findings that name a traffic difference are at least warn', () => {
  for (const s of scenarios) {
    const named = [
      ...s.requests.flatMap((r) => (r.differs ? [{ name: r.name, m: r.differs.finding }] : [])),
      ...(s.checks ?? []).flatMap((c) => (c.differs ? [{ name: c.name, m: c.differs.finding }] : [])),
    ];
    if (named.length === 0) continue;
    it(s.id, () => {
      const { findings } = convertYaml(scenarioYaml(s), { ...s.convert, target: 'httpproxy', rootNamespace: 'tr-roots', ...controllerOf(s) });
      for (const { name, m } of named) {
        const matching = findings.filter((f) => f.id === m.id && (!m.annotation || f.subject.annotation === PREFIX + m.annotation) && (!m.text || f.message.includes(m.text)));
        expect(matching.length, `${name}: no ${m.id}`).toBeGreaterThan(0);
        expect(
          matching.some((f) => severityAtLeast(f.severity, 'warn')),
          `${name}: ${m.id} is ${matching.map((f) => f.severity).join('/')}`,
        ).toBe(true);
      }
    });
  }
});
