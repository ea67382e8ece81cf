// Golden cases: test/golden/cases/<case>/input.yaml → expected/<target>.yaml and
// report.json (the findings). UPDATE_GOLDEN=1 rewrites the expectations; every
// regenerated diff is reviewed like code before it is committed.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toYaml } from '../../src/emit/serialize.js';
import { convertYaml, type TestOptions } from '../support/convert.js';
import { certManagerCrdsAvailable, crdsAvailable, schemaErrors } from '../support/crd-schema.js';

const CASES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const TARGETS = ['ingressroute', 'httpproxy'] as const;

interface CaseOptions extends TestOptions {
  description?: string;
}

function readOrNull(file: string): string | null {
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

for (const name of readdirSync(CASES).sort()) {
  const dir = path.join(CASES, name);
  const input = readFileSync(path.join(dir, 'input.yaml'), 'utf8');
  const caseOptions = JSON.parse(readOrNull(path.join(dir, 'options.json')) ?? '{}') as CaseOptions;
  const { description, ...opts } = caseOptions;
  describe(`golden ${name}${description ? `: ${description}` : ''}`, () => {
    const report: Record<string, unknown> = {};
    for (const target of TARGETS) {
      const result = convertYaml(input, { ...opts, target });
      report[target] = [...result.input.findings, ...result.findings].map((f) => ({ ...f }));
      it(`${target} output matches expected/${target}.yaml`, () => {
        const actual = toYaml(result.objects);
        const file = path.join(dir, 'expected', `${target}.yaml`);
        if (UPDATE) {
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, actual);
        }
        expect(actual).toBe(readOrNull(file));
      });
      // Contour's configuration (--defaults cluster / emitContourConfig): the object and the contour.yaml fragment.
      const cc = result.contourConfiguration;
      if (cc) {
        it(`${target} Contour configuration matches expected/${target}.contour.yaml`, () => {
          const actual = `${cc.object ? toYaml([cc.object]) : ''}---\n# contour.yaml\n${cc.fragment}`;
          const file = path.join(dir, 'expected', `${target}.contour.yaml`);
          if (UPDATE) writeFileSync(file, actual);
          expect(actual).toBe(readOrNull(file));
        });
      }
      it.skipIf(!crdsAvailable())(`${target} output validates against the CRD schema`, () => {
        // Certificates (cert-manager.io) need cert-manager's CRD from its Go module; the e2e suite always has it.
        const checked = result.objects.filter((o) => o.kind !== 'Certificate' || certManagerCrdsAvailable());
        expect(checked.flatMap((o) => schemaErrors(o))).toEqual([]);
      });
      it(`${target} output is byte-stable across runs and input order`, () => {
        const again = convertYaml(input, { ...opts, target });
        expect(toYaml(again.objects)).toBe(toYaml(result.objects));
        const reversed = input.split(/^---$/m).reverse().join('\n---\n');
        expect(toYaml(convertYaml(reversed, { ...opts, target }).objects)).toBe(toYaml(result.objects));
      });
    }
    it('findings match report.json', () => {
      const file = path.join(dir, 'report.json');
      const actual = `${JSON.stringify(report, null, 2)}\n`;
      if (UPDATE) writeFileSync(file, actual);
      expect(actual).toBe(readOrNull(file));
    });
  });
}
