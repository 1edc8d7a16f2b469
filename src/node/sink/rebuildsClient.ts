/**
 * Codes after which a transport rebuilds its client before the next try: the credential providers
 * and their cache go with it, so the next request fetches credentials again (a rotated key in a
 * profile, a fixed role, an STS token the service considers expired although the cache does not).
 * RegionMissing: the region chain (environment, profile) is read again too.
 */
const CODES = new Set([
  'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidSignatureException',
  'SignatureDoesNotMatch', 'IncompleteSignature', 'IncompleteSignatureException', 'MissingAuthenticationToken',
  'MissingAuthenticationTokenException', 'CredentialsProviderError', 'InvalidToken', 'AccessDeniedException', 'AccessDenied',
  'RegionMissing',
]);

export function rebuildsClient(code: string): boolean {
  return CODES.has(code);
}
