import { X509Certificate, createPrivateKey } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { createSelfSignedCertificate } from './self-signed-certificate.js';

describe('createSelfSignedCertificate', () => {
  it('makes a self-signed CA certificate for the loopback names, matching its key', () => {
    const { cert, key } = createSelfSignedCertificate({ validDays: 2 });

    const parsed = new X509Certificate(cert);
    expect(parsed.ca).toBe(true);
    expect(parsed.subjectAltName).toBe(
      'IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost',
    );
    expect(parsed.checkIssued(parsed)).toBe(true);
    expect(parsed.verify(parsed.publicKey)).toBe(true);
    expect(parsed.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(parsed.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(Date.parse(parsed.validTo) - Date.now()).toBeLessThanOrEqual(2 * 86_400_000);
  });

  it('is also valid for the extra DNS names it is given', () => {
    const { cert } = createSelfSignedCertificate({ dnsNames: ['token', 'token.latigo.local'] });

    const parsed = new X509Certificate(cert);
    expect(parsed.subjectAltName).toBe(
      'IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost, DNS:token, DNS:token.latigo.local',
    );
    expect(parsed.checkHost('token')).toBe('token');
    expect(parsed.checkHost('gordo')).toBeUndefined();
  });
});
