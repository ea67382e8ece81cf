// Test helper: the real pipeline on files or inline YAML, with CLI-like defaults.
import { convert, type ConversionResult, type ConvertOptions } from '../../src/convert.js';
import { loadCatalogue } from '../../src/map/catalogue.js';
import { loadControllerCatalogue } from '../../src/map/controller-catalogue.js';
import { loadEcosystem } from '../../src/map/ecosystem.js';
import { DEFAULT_ANNOTATION_PREFIX } from '../../src/map/engine.js';
import { parseContourVersion, type Target } from '../../src/model/contour.js';
import { collectText, readInputs } from '../../src/read/files.js';
import { emptyCollected, type Collected } from '../../src/read/normalize.js';

export interface TestOptions extends Partial<Omit<ConvertOptions, 'contourVersion' | 'target'>> {
  target?: Target;
  contourVersion?: string;
}

export function options(o: TestOptions = {}): ConvertOptions {
  const target = o.target ?? 'httpproxy';
  const version = parseContourVersion(o.contourVersion ?? (target === 'httpproxy' ? '1.33' : '1.5'));
  if (!version) throw new Error('bad version');
  return {
    rootNamespace: 'projectcontour',
    includeScope: 'auto',
    layout: 'root-namespace',
    ingressClass: 'nginx',
    includeClassless: true,
    annotationPrefix: DEFAULT_ANNOTATION_PREFIX,
    catalogue: loadCatalogue(),
    ecosystem: loadEcosystem(),
    controllerCatalogue: loadControllerCatalogue(),
    ...o,
    target,
    contourVersion: version,
  };
}

export type Result = ConversionResult & { input: Collected };

export async function convertFiles(files: string[], o: TestOptions = {}): Promise<Result> {
  const input = await readInputs(files, { recursive: true, defaultNamespace: 'default' });
  return { ...convert(input, options(o)), input };
}

export function convertYaml(text: string, o: TestOptions = {}): Result {
  const input = emptyCollected();
  collectText(text, 'test.yaml', { defaultNamespace: 'default' }, input);
  return { ...convert(input, options(o)), input };
}
