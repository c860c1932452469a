import { useEffect, useState } from 'react';
import { type AppConfig, CONFIG_PATH } from '../common/config.js';
import { DoctorPage } from './DoctorPage.js';
import { PatientPage } from './PatientPage.js';
import { StatusBar } from './StatusBar.js';
import { useHashRoute } from './useHashRoute.js';

/** The app: a patient page and a doctor page, chosen by the URL hash. */
export function App() {
  const route = useHashRoute();
  const [config, setConfig] = useState<AppConfig>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    fetch(CONFIG_PATH)
      .then((response) => response.json() as Promise<AppConfig>)
      .then(setConfig, (cause: unknown) => setError(String(cause)));
  }, []);

  return (
    <div className="app">
      <header>
        <h1>MHR Chain</h1>
        <nav>
          <a href="#/patient" className={route === '/patient' ? 'active' : ''}>
            Patient
          </a>
          <a href="#/doctor" className={route === '/doctor' ? 'active' : ''}>
            Doctor
          </a>
        </nav>
      </header>
      {error && <p className="error">Cannot load the configuration: {error}</p>}
      {config && <StatusBar config={config} />}
      <main>
        {route === '/patient' && <h2>Patient</h2>}
        {route === '/doctor' && <h2>Doctor</h2>}
        {config && route === '/patient' && <PatientPage config={config} />}
        {config && route === '/doctor' && <DoctorPage config={config} />}
        {route !== '/patient' && route !== '/doctor' && <p>Choose a role above.</p>}
      </main>
    </div>
  );
}
