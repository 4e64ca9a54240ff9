/**
 * A self-signed certificate for `127.0.0.1` and `localhost`, made with node:crypto alone
 * (which can sign but not build certificates), so https tests need no openssl and no package.
 * The DER is written by hand: an X.509 v3 certificate with a P-256 key, ecdsa-with-SHA256 and a
 * subjectAltName, valid from a day ago for a week.
 */
import { generateKeyPairSync, sign } from 'node:crypto';

/** A key and certificate (PEM), ready for `startServer({ https })` and a client's `ca`. */
export interface SelfSigned {
  readonly key: string;
  readonly cert: string;
}

const length = (n: number): Buffer => {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
};
const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const sequence = (...content: Buffer[]): Buffer => tlv(0x30, ...content);
const oid = (dotted: string): Buffer => {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const groups: number[] = [];
    for (let value = arc; ; value = Math.floor(value / 128)) {
      groups.unshift((value % 128) | (groups.length > 0 ? 0x80 : 0));
      if (value < 128) break;
    }
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
};
const utcTime = (date: Date): Buffer => tlv(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`));
const name = (commonName: string): Buffer => sequence(tlv(0x31, sequence(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName)))));

/** Makes a fresh key and a certificate that names `127.0.0.1` and `localhost`. */
export function selfSigned(): SelfSigned {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'));
  const day = 24 * 60 * 60 * 1000;
  const now = Date.now();
  const altNames = sequence(tlv(0x87, Buffer.from([127, 0, 0, 1])), tlv(0x82, Buffer.from('localhost')));
  const tbs = sequence(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // v3
    tlv(0x02, Buffer.from([0x01, ...Array.from({ length: 8 }, () => Math.floor(Math.random() * 256))])),
    ecdsaWithSha256,
    name('cention-chat test'),
    sequence(utcTime(new Date(now - day)), utcTime(new Date(now + 7 * day))),
    name('cention-chat test'),
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, sequence(sequence(oid('2.5.29.17'), tlv(0x04, altNames)))),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, ecdsaWithSha256, tlv(0x03, Buffer.from([0]), signature));
  const base64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), cert: `-----BEGIN CERTIFICATE-----\n${base64}-----END CERTIFICATE-----\n` };
}
