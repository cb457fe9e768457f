import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from '@jest/globals';
import { addressRefusal, classifyAddress, guardedLookup, TargetRefusedError, type TargetPolicy, urlRefusal } from './webhook-target';

const STRICT: TargetPolicy = { allowPrivate: false, allowLoopback: false };
const INTRANET: TargetPolicy = { allowPrivate: true, allowLoopback: false };
const TESTS: TargetPolicy = { allowPrivate: true, allowLoopback: true };

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['169.254.169.254', 'forbidden'],
    ['169.254.1.1', 'forbidden'],
    ['fe80::1', 'forbidden'],
    ['fd00:ec2::254', 'forbidden'],
    ['0.0.0.0', 'forbidden'],
    ['::', 'forbidden'],
    ['224.0.0.1', 'forbidden'],
    ['255.255.255.255', 'forbidden'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['172.32.0.1', 'public'],
    ['8.8.8.8', 'public'],
    ['2001:4860:4860::8888', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('addressRefusal', () => {
  it('refuses link-local and metadata always, private unless allowed, loopback unless allowed', () => {
    for (const policy of [STRICT, INTRANET, TESTS]) {
      expect(addressRefusal('169.254.169.254', policy)).not.toBeNull();
      expect(addressRefusal('fd00:ec2::254', policy)).not.toBeNull();
      expect(addressRefusal('8.8.8.8', policy)).toBeNull();
    }
    expect(addressRefusal('10.0.0.1', STRICT)).toMatch(/WEBHOOK_ALLOW_PRIVATE/);
    expect(addressRefusal('10.0.0.1', INTRANET)).toBeNull();
    expect(addressRefusal('127.0.0.1', INTRANET)).toMatch(/loopback/);
    expect(addressRefusal('127.0.0.1', TESTS)).toBeNull();
  });
});

describe('urlRefusal', () => {
  it('reads literal addresses in every form the URL parser accepts', () => {
    for (const url of ['http://127.0.0.1/', 'http://2130706433/', 'http://0x7f.1/', 'HTTP://[::1]:8080/', 'http://[::ffff:7f00:1]/']) {
      expect(urlRefusal(url, INTRANET)).toMatch(/loopback/);
    }
    expect(urlRefusal('http://169.254.169.254/latest/meta-data/', TESTS)).not.toBeNull();
    expect(urlRefusal('http://[fe80::1]/', TESTS)).not.toBeNull();
    expect(urlRefusal('http://192.168.0.10/relay', STRICT)).not.toBeNull();
    expect(urlRefusal('http://192.168.0.10/relay', INTRANET)).toBeNull();
    expect(urlRefusal('https://relay.example.gov.cn/x', STRICT)).toBeNull();
  });

  it('refuses names that are obviously this machine or the metadata service', () => {
    expect(urlRefusal('http://localhost:3000/', STRICT)).not.toBeNull();
    expect(urlRefusal('http://LOCALHOST./', STRICT)).not.toBeNull();
    expect(urlRefusal('http://api.localhost/', STRICT)).not.toBeNull();
    expect(urlRefusal('http://localhost:3000/', TESTS)).toBeNull();
    expect(urlRefusal('http://metadata.google.internal/computeMetadata/v1/', TESTS)).toMatch(/metadata/);
  });
});

describe('guardedLookup', () => {
  const resolver =
    (addresses: LookupAddress[]) =>
    (_host: string, _options: unknown, callback: (error: null, addresses: LookupAddress[]) => void) =>
      callback(null, addresses);
  const lookup = (addresses: LookupAddress[], all: boolean, policy = STRICT) =>
    new Promise<{ error: Error | null; address: unknown; family?: number }>((resolve) =>
      guardedLookup(policy, resolver(addresses) as never)('relay.example', { all }, (error, address, family) =>
        resolve({ error, address, family }),
      ),
    );

  it('hands over the checked addresses', async () => {
    const addresses = [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ];
    expect(await lookup(addresses, true)).toEqual({ error: null, address: addresses, family: undefined });
    expect(await lookup(addresses, false)).toEqual({ error: null, address: '93.184.216.34', family: 4 });
  });

  it('refuses the connection when any address is refused', async () => {
    const { error } = await lookup([{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }], true);
    expect(error).toBeInstanceOf(TargetRefusedError);
    expect((await lookup([{ address: '10.0.0.8', family: 4 }], false)).error).toBeInstanceOf(TargetRefusedError);
    expect((await lookup([{ address: '10.0.0.8', family: 4 }], false, INTRANET)).error).toBeNull();
  });
});
