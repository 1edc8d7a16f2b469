import { constants, createHash, generateKeyPairSync, publicDecrypt, sign, type KeyObject } from 'node:crypto';

const MD5_BYTES = 16;

/**
 * MD5 computed in libuv's thread pool, off the JavaScript thread. Node has no asynchronous hash,
 * but `crypto.sign` with a callback runs in the pool, and an RSASSA-PKCS1-v1_5 signature is the
 * DigestInfo of the data's digest, padded and raised to the private exponent (RFC 8017 §8.2.1,
 * §9.2): opened with the public key (publicDecrypt, whose type-1 padding check OpenSSL does), its
 * last 16 bytes are the MD5. The key is a throwaway of 512 bits made at first use (4 ms); what it
 * signs never leaves the process, so its strength does not matter, only the cost of its two RSA
 * operations (~30 µs against 1.6 ms for the MD5 of a 1 MiB KPL aggregate; the thread that calls
 * it pays 0.2 ms to hand the data over, a copy). Issue 8: the KPL trailer's MD5 was a fifth of the
 * reading thread's CPU, and that thread is what bounds the KPL rate.
 *
 * undefined when this OpenSSL refuses (FIPS: no MD5 signatures, nor RSA keys this small) or its
 * answer to a probe is not createHash's: the caller hashes on its own thread then.
 */
export function md5InThreadPool(): ((data: Uint8Array) => Promise<Uint8Array>) | undefined {
  if (made === undefined) made = { md5: makeMd5InThreadPool() };
  return made.md5;
}

/** The process's one (made at first use; every KPL flow shares its key). */
let made: { md5: ((data: Uint8Array) => Promise<Uint8Array>) | undefined } | undefined;

function makeMd5InThreadPool(): ((data: Uint8Array) => Promise<Uint8Array>) | undefined {
  let keys: { privateKey: KeyObject; publicKey: KeyObject };
  try {
    keys = generateKeyPairSync('rsa', { modulusLength: 512 });
    const probe = Buffer.from('shardline md5 probe');
    const opened = openSignature(keys.publicKey, sign('md5', probe, keys.privateKey));
    if (!opened.equals(createHash('md5').update(probe).digest())) return undefined;
  } catch {
    return undefined;
  }
  const { privateKey, publicKey } = keys;
  return (data) => new Promise((resolve, reject) => {
    sign('md5', data, privateKey, (error, signature) => {
      if (error !== null) reject(error);
      else {
        try {
          resolve(openSignature(publicKey, signature));
        } catch (failure) {
          reject(failure);
        }
      }
    });
  });
}

/** The digest a PKCS#1 v1.5 signature carries: the last 16 bytes of its DigestInfo. */
function openSignature(publicKey: KeyObject, signature: Buffer): Buffer {
  const digestInfo = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
  return digestInfo.subarray(digestInfo.length - MD5_BYTES);
}
