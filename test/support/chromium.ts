import { type Browser, chromium } from 'playwright-core';

/**
 * Chromium as the browser tests and the page benchmarks launch it. No Jest here: the
 * benchmarks run outside it.
 */

/** Debian's Chromium (scripts/ensure-services.mjs --browser installs it); Playwright never downloads one here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Without these flags Chromium keeps calling home, and this machine's closed network refuses it. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const PHONE = { width: 390, height: 844 };
export const SMALL_PHONE = { width: 320, height: 640 };
export const DESKTOP = { width: 1280, height: 800 };

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
