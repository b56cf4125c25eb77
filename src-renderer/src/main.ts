import { installBufferShim } from './lib/buffer-shim.js';
// The shared config schema needs a Buffer for hex and text conversions (see buffer-shim.ts);
// installed before anything that validates.
installBufferShim();

import { mount } from 'svelte';
import App from './App.svelte';
import { createTransport } from './lib/transport.js';
import './styles.css';

mount(App, { target: document.getElementById('app')!, props: { transport: createTransport() } });
