import { X509Certificate, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/**
 * A self-signed X.509 certificate for the token stand-in's HTTPS, built with node:crypto alone
 * (node cannot issue certificates, so the few DER structures are encoded here). MSAL only talks
 * to https authorities; clients trust this certificate through `auth.ca_file`.
 *
 * The certificate: version 3, P-256 key, ECDSA with SHA-256, CN `latigo token stand-in`, basic
 * constraints CA:true (so it can be its own trust anchor), subject alternative names 127.0.0.1,
 * ::1 and localhost plus `dnsNames` (e.g. a docker compose service name), valid from an hour ago
 * for `validDays`.
 */
export interface SelfSignedCertificate {
  /** PEM certificate; also the CA file clients trust. */
  readonly cert: string;
  /** PEM PKCS#8 private key. */
  readonly key: string;
}

export function createSelfSignedCertificate(
  options: { validDays?: number; nowMs?: number; dnsNames?: readonly string[] } = {},
): SelfSignedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const nowMs = options.nowMs ?? Date.now();
  const notBefore = new Date(nowMs - 3_600_000);
  const notAfter = new Date(nowMs + (options.validDays ?? 30) * 86_400_000);
  const name = sequence(set(sequence(oid(OID.commonName), utf8String('latigo token stand-in'))));
  const signatureAlgorithm = sequence(oid(OID.ecdsaWithSha256));

  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serialNumber()),
    signatureAlgorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(
      3,
      sequence(
        extension(OID.basicConstraints, true, sequence(boolean(true))),
        extension(
          OID.subjectAltName,
          false,
          sequence(
            tagged(0x87, Buffer.from([127, 0, 0, 1])),
            tagged(0x87, Buffer.from([...new Array<number>(15).fill(0), 1])),
            tagged(0x82, Buffer.from('localhost', 'ascii')),
            ...(options.dnsNames ?? []).map((name) => tagged(0x82, Buffer.from(name, 'ascii'))),
          ),
        ),
      ),
    ),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, signatureAlgorithm, bitString(signature));

  const cert = toPem('CERTIFICATE', der);
  // Parse once: a malformed encoding fails here, not in a client's TLS handshake.
  new X509Certificate(cert);
  return { cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

const OID = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  subjectAltName: '2.5.29.17',
} as const;

function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive
  bytes[0] |= 0x01; // no leading zero byte
  return bytes;
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(oid(id), boolean(true), octetString(value))
    : sequence(oid(id), octetString(value));
}

function tagged(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

function length(size: number): Buffer {
  if (size < 0x80) {
    return Buffer.from([size]);
  }
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest % 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function sequence(...parts: Buffer[]): Buffer {
  return tagged(0x30, Buffer.concat(parts));
}

function set(...parts: Buffer[]): Buffer {
  return tagged(0x31, Buffer.concat(parts));
}

function explicit(number: number, content: Buffer): Buffer {
  return tagged(0xa0 | number, content);
}

function integer(bytes: Buffer): Buffer {
  return tagged(0x02, bytes);
}

function boolean(value: boolean): Buffer {
  return tagged(0x01, Buffer.from([value ? 0xff : 0x00]));
}

function octetString(content: Buffer): Buffer {
  return tagged(0x04, content);
}

function bitString(content: Buffer): Buffer {
  return tagged(0x03, Buffer.concat([Buffer.from([0]), content]));
}

function utf8String(text: string): Buffer {
  return tagged(0x0c, Buffer.from(text, 'utf8'));
}

/** UTCTime up to 2049, GeneralizedTime after, as RFC 5280 requires. */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050
    ? tagged(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
    : tagged(0x18, Buffer.from(`${iso}Z`, 'ascii'));
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) {
      chunk.unshift((value & 0x7f) | 0x80);
    }
    bytes.push(...chunk);
  }
  return tagged(0x06, Buffer.from(bytes));
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
