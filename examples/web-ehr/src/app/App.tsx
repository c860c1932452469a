import { useEffect, useState } from 'react';
import { type AppConfig, CONFIG_PATH } from '../common/config.js';
import { DoctorPage } from './DoctorPage.js';
import { PatientPage } from './PatientPage.js';
import { StatusBar } from './StatusBar.js';
import { TransactionView } from './TransactionView.js';
import { useHashRoute } from './useHashRoute.js';

/** The app: a patient page and a doctor page, chosen by the URL hash, and a view of a transaction. */
export function App() {
  const route = useHashRoute();
  const [config, setConfig] = useState<AppConfig>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    fetch(CONFIG_PATH)
      .then((response) => response.json() as Promise<AppConfig>)
      .then(setConfig, (cause: unknown) => setError(String(cause)));
  }, []);
  const role = route.startsWith('/patient') ? 'patient' : route.startsWith('/doctor') ? 'doctor' : undefined;
  const transaction = /^\/tx\/(0x[0-9a-fA-F]{64})$/.exec(route)?.[1];
  useEffect(() => {
    document.title = `${role === 'patient' ? 'Patient' : role === 'doctor' ? 'Doctor' : 'MHR Chain'} · MHR Chain web EHR`;
  }, [role]);

  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header>
        <p className="brand">MHR Chain</p>
        <nav aria-label="Role">
          <a href="#/patient" aria-current={role === 'patient' ? 'page' : undefined}>
            Patient
          </a>
          <a href="#/doctor" aria-current={role === 'doctor' ? 'page' : undefined}>
            Doctor
          </a>
        </nav>
      </header>
      <p className="demo-note" data-testid="demo-note">
        Local demo: this page receives the demo accounts’ private keys from the local server that started it. Never
        deploy it this way; a real deployment signs with the user’s own wallet.
      </p>
      {error && (
        <p className="error" role="alert">
          Cannot load the configuration: {error}
        </p>
      )}
      {config && <StatusBar config={config} />}
      <main id="main">
        {role === 'patient' && <h1>Patient</h1>}
        {role === 'doctor' && <h1>Doctor</h1>}
        {config && role === 'patient' && <PatientPage config={config} route={route} />}
        {config && role === 'doctor' && <DoctorPage config={config} />}
        {config && transaction && <TransactionView config={config} hash={transaction} />}
        {!role && !transaction && (
          <>
            <h1>MHR Chain web EHR</h1>
            <p>Choose a role above.</p>
          </>
        )}
      </main>
    </div>
  );
}
