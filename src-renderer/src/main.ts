import { installBufferShim } from './lib/buffer-shim.js';
// The shared config schema needs a Buffer for hex and text conversions (see buffer-shim.ts);
// installed before anything that validates.
installBufferShim();

import { mount } from 'svelte';
import App from './App.svelte';
import { createTransport } from './lib/transport.js';
import { initLanguage } from './i18n/language.js';
import './styles.css';

// The UI language before the first paint (saved choice, else the OS/browser language).
initLanguage();
mount(App, { target: document.getElementById('app')!, props: { transport: createTransport() } });
