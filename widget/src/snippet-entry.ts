import { loadCrossclock } from './snippet.js';

loadCrossclock(window, document, 'CROSSCLOCK_URL');
