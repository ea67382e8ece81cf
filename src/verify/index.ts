// verify's public surface for the CLI (one lazy import).
export { deriveProbes, type Probe, type ProbeSet } from './probes.js';
export { judge, predictedBy, summarize, unreachableSides, type Observation, type ProbeResult } from './compare.js';
export { render, type VerifyFormat } from './render.js';
export { runProbes, type RunLimits } from './run.js';
export { formatAddress, parseAddress, sendProbe, type Address } from './http.js';
export { discoverAddress } from './discover.js';
