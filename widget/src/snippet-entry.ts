import { loadCrossclock } from './snippet.js';

loadCrossclock(window, document, Date.now, 'CROSSCLOCK_URL');
