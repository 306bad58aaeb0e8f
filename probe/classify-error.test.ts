import { describe, expect, it } from 'vitest';
import { classifyError, describeVerifyError, humanText } from './classify-error.ts';

const at = { host: 'portal.example.dk', port: 443, timedOut: false } as const;

describe('humanText', () => {
  it.each([
    ['"fetch failed" with its cause', new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) }), 'fetch failed: connect ECONNREFUSED 127.0.0.1:9'],
    ['an OpenSSL string without its source path', new Error('error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:354:'), 'wrong version number'],
    ['a prefixed OpenSSL string', new Error('C0D7E3F7:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:ssl/record/rec_layer_s3.c:1605:SSL alert number 40'), 'sslv3 alert handshake failure SSL alert number 40'],
    ['a cause that repeats the message, said once', new Error('socket hang up', { cause: new Error('socket hang up') }), 'socket hang up'],
  ])('%s', (_name, error, expected) => {
    expect(humanText(error)).toBe(expected);
  });
});

describe('classifyError', () => {
  it.each([
    ['an aborted request (DOMException code 20)', new DOMException('This operation was aborted', 'AbortError'), { phase: 'firstByte', timedOut: true }, 'timeout', 'no answer while waiting for the response'],
    ['a silent TLS peer', new Error('deadline passed'), { phase: 'tls', timedOut: true }, 'timeout', 'no answer during the TLS handshake'],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:443'), { code: 'ECONNREFUSED' }), { phase: 'connect' }, 'connect_refused', 'connection refused by portal.example.dk:443: nothing listens there'],
    ['plain HTTP on the TLS port', Object.assign(new Error('error:0A00010B:SSL routines::wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER', reason: 'wrong version number' }), { phase: 'tls' }, 'tls_handshake', 'the TLS handshake failed: the server does not speak TLS on this port (plain HTTP?)'],
    ['an unknown name', Object.assign(new Error('getaddrinfo ENOTFOUND portal.example.dk'), { code: 'ENOTFOUND' }), { phase: 'dns' }, 'dns', 'no address found for portal.example.dk'],
  ] as const)('%s', (_name, error, context, reason, message) => {
    expect(classifyError(error, { ...at, ...context })).toEqual({ reason, message });
  });

  it('says certificate problems in words and keeps the code to search for', () => {
    expect(describeVerifyError('CERT_HAS_EXPIRED')).toBe('the certificate has expired (CERT_HAS_EXPIRED)');
    expect(describeVerifyError('SOMETHING_NEW')).toBe('the certificate did not verify (SOMETHING_NEW)');
  });
});
