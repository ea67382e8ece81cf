// Validates emitted objects against the published Contour CRD schemas from
// ../shared/crds (never copied into this repo). Missing folder → tests skip.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import yaml from 'js-yaml';
import { cachedCertManagerCrdDir } from './cert-manager-crds.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CRD_DIR = process.env.INGRESS2CONTOUR_CRD_DIR ?? path.resolve(ROOT, '..', 'shared', 'crds');
const FILES = ['contour-v1.33.6.yaml', 'contour-v1.5.1-ingressroute.yaml'];

export const crdsAvailable = (): boolean => FILES.every((f) => existsSync(path.join(CRD_DIR, f)));

/** The cert-manager Certificate CRD, when cert-manager's Go module is in the module cache. */
const certificateCrd = (): string | undefined => {
  const dir = cachedCertManagerCrdDir();
  return dir ? path.join(dir, 'cert-manager.io_certificates.yaml') : undefined;
};
export const certManagerCrdsAvailable = (): boolean => certificateCrd() !== undefined;

type Json = Record<string, unknown>;

/** OpenAPI v3 (Kubernetes flavour) → JSON schema ajv accepts, with pruning imitated by additionalProperties: false. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const src = node as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (k.startsWith('x-kubernetes-')) continue;
    if (k === 'exclusiveMaximum' || k === 'exclusiveMinimum') {
      if (v === true) {
        const bound = k === 'exclusiveMaximum' ? 'maximum' : 'minimum';
        out[k] = src[bound];
      }
      continue;
    }
    out[k] = toJsonSchema(v);
  }
  if (src['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (out.exclusiveMaximum !== undefined) delete out.maximum;
  if (out.exclusiveMinimum !== undefined) delete out.minimum;
  if (src.properties && src.additionalProperties === undefined && !src['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

let validators: Map<string, ValidateFunction> | undefined;

function load(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const f of ['int32', 'int64', 'date-time', 'byte']) ajv.addFormat(f, true);
  validators = new Map();
  const certificate = certificateCrd();
  for (const file of [...FILES.map((f) => path.join(CRD_DIR, f)), ...(certificate ? [certificate] : [])]) {
    for (const doc of yaml.loadAll(readFileSync(file, 'utf8')) as Json[]) {
      if (!doc || doc.kind !== 'CustomResourceDefinition') continue;
      const spec = doc.spec as { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema: unknown } }[] };
      for (const v of spec.versions) {
        if (!v.schema) continue;
        const schema = toJsonSchema(v.schema.openAPIV3Schema) as Json;
        // metadata is validated by the apiserver itself, not by the CRD schema.
        (schema.properties as Json).metadata = { type: 'object' };
        validators.set(`${spec.group}/${v.name} ${spec.names.kind}`, ajv.compile(schema));
      }
    }
  }
  return validators;
}

/** Problems with one object, as readable lines; empty when valid. */
export function schemaErrors(obj: { apiVersion: string; kind: string; metadata?: { name?: string }; spec?: unknown }): string[] {
  const validate = load().get(`${obj.apiVersion} ${obj.kind}`);
  if (!validate) return [`no CRD schema for ${obj.apiVersion} ${obj.kind}`];
  // Called through a plain signature: ajv's type guard would narrow `obj` to never below.
  const check: (data: unknown) => boolean = validate;
  if (check(obj)) return [];
  return (validate.errors ?? []).map((e) => `${obj.kind} ${obj.metadata?.name ?? '?'}: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
