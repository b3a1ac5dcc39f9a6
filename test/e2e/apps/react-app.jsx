// A small React 19 app with badges, bundled by esbuild at test time (React 19 has no UMD
// build). Its state setters are exposed as `window.app` so tests drive it the way clicks would.
import { useState } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';

// Each change is committed at once, as a click handler's would be by the time the test looks.
const sync = (set) => (value) => flushSync(() => set(value));

const Clock = ({ id, tz }) => <span data-crossclock="" id={id} data-tz={tz} data-label={tz} />;

function App() {
  const [route, setRoute] = useState('home');
  const [shown, setShown] = useState(false);
  const [zones, setZones] = useState([]);
  const [tz, setTz] = useState('Asia/Tokyo');
  window.app = { route: sync(setRoute), shown: sync(setShown), zones: sync(setZones), tz: sync(setTz) };
  return (
    <main>
      {/* A route change: a different element in the same place. */}
      {route === 'home' ? (
        <section key="home">
          <Clock id="home-clock" tz="UTC" />
        </section>
      ) : (
        <section key="about">
          <Clock id="about-clock" tz="Europe/Paris" />
        </section>
      )}
      {shown && <Clock id="conditional" tz="America/New_York" />}
      <ul>
        {zones.map((z) => (
          <li key={z}>
            <Clock id={'list-' + z.replace('/', '-')} tz={z} />
          </li>
        ))}
      </ul>
      <Clock id="bound" tz={tz} />
    </main>
  );
}

createRoot(document.getElementById('root')).render(<App />);
