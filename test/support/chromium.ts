import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (scripts/ensure-services.mjs --browser installs it); Playwright never downloads one here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Without these flags Chromium keeps calling home, and this machine's closed network refuses it. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
