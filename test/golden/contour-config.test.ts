// Golden cases of Contour's configuration: test/golden/contour-config/<case>.json (controller
// settings over nginx's defaults, emitter options) → <case>.expected.yaml (the ContourConfiguration,
// the contour.yaml fragment and the findings). UPDATE_GOLDEN=1 rewrites; review the diff like code.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emitContourConfiguration, type ContourConfigOptions } from '../../src/emit/contour-configuration.js';
import { dumpYaml } from '../../src/emit/serialize.js';
import { parseContourVersion } from '../../src/model/contour.js';
import { NGINX_SETTINGS_DEFAULT, type NginxSettings } from '../../src/model/controller.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'contour-config');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface Case {
  settings: Partial<NginxSettings>;
  options?: Omit<Partial<ContourConfigOptions>, 'contourVersion'> & { contourVersion?: string };
}

describe('golden Contour configuration', () => {
  const cases = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  it('has cases', () => expect(cases.length).toBeGreaterThan(5));
  for (const file of cases.sort()) {
    const name = file.replace(/\.json$/, '');
    it(name, () => {
      const c = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Case;
      const { contourVersion, ...rest } = c.options ?? {};
      const r = emitContourConfiguration({ ...NGINX_SETTINGS_DEFAULT, ...c.settings }, { defaults: 'route', ...rest, contourVersion: parseContourVersion(contourVersion ?? '1.33')! });
      const findings = r.findings.map((f) => ({ id: f.id, severity: f.severity, data: f.data }));
      const actual = `# ContourConfiguration\n${r.object ? dumpYaml(r.object) : '~\n'}---\n# contour.yaml\n${r.fragment}---\n# findings\n${dumpYaml(findings)}`;
      const expectedFile = path.join(DIR, `${name}.expected.yaml`);
      if (UPDATE) writeFileSync(expectedFile, actual);
      expect(actual).toBe(existsSync(expectedFile) ? readFileSync(expectedFile, 'utf8') : null);
    });
  }
});
