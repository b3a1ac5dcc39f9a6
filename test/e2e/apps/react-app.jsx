// A small React 19 app with badges, bundled by esbuild at test time (React 19 has no UMD
// build). Its state setters are exposed as `window.app` so tests drive it the way clicks would.
import { Activity, Suspense, use, useState } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';

// Each change is committed at once, as a click handler's would be by the time the test looks.
const sync = (set) => (value) => flushSync(() => set(value));

const Clock = ({ id, tz }) => <span data-crossclock="" id={id} data-tz={tz} data-label={tz} />;

// Suspends its boundary while `pending` holds a promise, as a component waiting for data does.
let pending = null;
const Data = () => pending && use(pending);

function App() {
  const [route, setRoute] = useState('home');
  const [shown, setShown] = useState(false);
  const [zones, setZones] = useState([]);
  const [tz, setTz] = useState('Asia/Tokyo');
  const [active, setActive] = useState(true);
  const [loads, setLoads] = useState(0);
  window.app = {
    route: sync(setRoute),
    shown: sync(setShown),
    zones: sync(setZones),
    tz: sync(setTz),
    active: sync(setActive),
    // Suspends the boundary again, until `resolve` is called: React hides what it showed behind the fallback.
    load: () => {
      let resolve;
      pending = new Promise((r) => (resolve = r));
      sync(setLoads)(loads + 1);
      return () => {
        pending = null;
        resolve();
      };
    },
  };
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
      <Activity mode={active ? 'visible' : 'hidden'}>
        <Clock id="activity" tz="Asia/Kolkata" />
      </Activity>
      <Suspense fallback={<b id="fallback">Loading…</b>}>
        <Clock id="suspense" tz="Europe/Berlin" />
        <Data key={loads} />
      </Suspense>
    </main>
  );
}

createRoot(document.getElementById('root')).render(<App />);
