import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { ConfigService } from '@nestjs/config';
import type { EnvironmentVariables } from '../config/env.validation';

/**
 * Which addresses a webhook may be delivered to. A webhook URL is chosen by an API user and
 * fetched by the server, so without this it reaches what only the server can reach: its own
 * ports, the cloud metadata service, the intranet.
 */
export interface TargetPolicy {
  /** Intranet relays (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7): WEBHOOK_ALLOW_PRIVATE. */
  allowPrivate: boolean;
  /** The machine itself (127/8, ::1, localhost): WEBHOOK_ALLOW_LOOPBACK, for tests only (refused in production). */
  allowLoopback: boolean;
}

/** The policy the environment sets (WEBHOOK_ALLOW_PRIVATE, WEBHOOK_ALLOW_LOOPBACK). */
export function webhookTargetPolicy(config: ConfigService<EnvironmentVariables, true>): TargetPolicy {
  return {
    allowPrivate: config.get('WEBHOOK_ALLOW_PRIVATE', { infer: true }),
    allowLoopback: config.get('WEBHOOK_ALLOW_LOOPBACK', { infer: true }),
  };
}

export type AddressClass = 'public' | 'private' | 'loopback' | 'forbidden';

function blockList(subnets: [string, number][]): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of subnets) list.addSubnet(network, prefix, isIP(network) === 6 ? 'ipv6' : 'ipv4');
  return list;
}

// Checked in this order: the metadata addresses sit inside ranges of the later lists.
const FORBIDDEN = blockList([
  ['169.254.0.0', 16], // link-local, 169.254.169.254 (cloud metadata) included
  ['fe80::', 10], // link-local
  ['fd00:ec2::254', 128], // AWS metadata over IPv6 (inside fc00::/7)
  ['0.0.0.0', 8], // "this network": 0.0.0.0 connects to the machine itself
  ['::', 128], // unspecified, same
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
  ['ff00::', 8], // multicast
]);
const LOOPBACK = blockList([
  ['127.0.0.0', 8],
  ['::1', 128],
]);
const PRIVATE = blockList([
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['fc00::', 7], // unique local
]);

/** Host names that are the machine itself or the metadata service whatever DNS says. */
const LOOPBACK_NAME = /(^|\.)localhost$/;
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

/** The class of an IP address (IPv4-mapped IPv6 addresses count as their IPv4 address). */
export function classifyAddress(address: string): AddressClass {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (FORBIDDEN.check(address, family)) return 'forbidden';
  if (LOOPBACK.check(address, family)) return 'loopback';
  if (PRIVATE.check(address, family)) return 'private';
  return 'public';
}

function allowed(kind: AddressClass, policy: TargetPolicy): boolean {
  return kind === 'public' || (kind === 'private' && policy.allowPrivate) || (kind === 'loopback' && policy.allowLoopback);
}

/** Why an address may not be delivered to, or null when it may. */
export function addressRefusal(address: string, policy: TargetPolicy): string | null {
  const kind = classifyAddress(address);
  if (allowed(kind, policy)) return null;
  return kind === 'private'
    ? `${address} is a private address (set WEBHOOK_ALLOW_PRIVATE=true for intranet relays)`
    : `${address} is a ${kind === 'loopback' ? 'loopback' : 'link-local, metadata or non-unicast'} address`;
}

/** The host of a URL without IPv6 brackets or a trailing dot, lower case (the WHATWG parser normalises IPv4 forms like 0x7f.1). */
function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

/**
 * What can be told from the URL alone, when a webhook is saved: a literal address, or a name
 * that is obviously the machine or the metadata service. Names are resolved again at delivery.
 */
export function urlRefusal(url: string, policy: TargetPolicy): string | null {
  const host = hostOf(url);
  if (isIP(host)) return addressRefusal(host, policy);
  if (METADATA_NAMES.has(host)) return `${host} is the cloud metadata service`;
  if (LOOPBACK_NAME.test(host) && !policy.allowLoopback) return `${host} is this machine`;
  return null;
}

/** Thrown (through the connection) when a delivery's host resolves to a refused address. */
export class TargetRefusedError extends Error {
  readonly code = 'ERR_WEBHOOK_TARGET_REFUSED';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `dns.lookup` for http(s) Agents: resolves the host, refuses the connection unless every
 * address is allowed, and hands the checked addresses to the socket, so the address connected
 * to is the one checked (no second resolution an attacker's DNS could answer differently).
 * Literal IP hosts never reach a lookup: check them with `urlRefusal` before connecting.
 */
export function guardedLookup(policy: TargetPolicy, resolve: typeof dnsLookup = dnsLookup) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const all: LookupAllOptions = { ...options, all: true };
    resolve(hostname, all, (error, addresses) => {
      if (error) return callback(error, []);
      const refusal = addresses.map((a) => addressRefusal(a.address, policy)).find((reason) => reason !== null);
      if (refusal || addresses.length === 0) {
        return callback(new TargetRefusedError(`${hostname}: ${refusal ?? 'no address'}`), []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
