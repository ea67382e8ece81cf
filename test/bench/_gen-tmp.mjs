import { writeFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { generateRealistic } from './generate-realistic.mjs';
const n = Number(process.argv[2]);
const docs = generateRealistic(n);
const parts = [];
for (const d of docs) parts.push(`---\n${yaml.dump(d, { lineWidth: -1, noRefs: true })}`);
writeFileSync(process.argv[3], parts.join(''));
console.log(docs.length);
