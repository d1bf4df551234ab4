/**
 * Connect's control plane: the built-in CA (keys, roots, leaf signing, rotation with
 * cross-signing), SPIFFE identities, the agent's leaf cache, and intention decisions.
 */
export * from './spiffe.js';
export { rfc3339 } from './rfc3339.js';
export { generateSigningKey, importSigningKey, keyIdOf, colonHex, type KeySpec, type KeyType, type SigningKey } from './ca/keys.js';
export { generateRootCert, rootFacts, parseCert, randomSerial, serialHex, CLOCK_SKEW_MS, type RootFacts } from './ca/root.js';
export { algorithmFor } from './ca/keys.js';
export { permittedDnsConstraint } from './ca/name-constraints.js';
export { x509 } from './ca/x509.js';
export { crossSign } from './ca/cross-sign.js';
export { createCsr, parseCsr, type ParsedCsr } from './ca/csr.js';
export { signLeaf, type SignedLeaf } from './ca/leaf.js';
export { parseCAConfig, caConfigJson, CA_DEFAULTS, type CAConfigValues } from './ca/config.js';
export { CAManager, type IssuedCert, type CAConfigRequest, type CAManagerOptions } from './ca/manager.js';
export { LeafCache, leafTopic, type LeafCert, type LeafSigner, type RootsWatch, type LeafCacheOptions } from './leaf/cache.js';
export { decideIntention, type IntentionDecision, type DefaultPolicy } from './intentions/decide.js';
export { defaultIntentionPolicy, type DefaultPolicyConfig } from './intentions/default-policy.js';
export { connectRuntime, connectEnabled, storeRootsWatch, type ConnectRuntime, type ConnectRuntimeOptions } from './runtime.js';
