import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConsentClient, createMemoryRecordStore, registerDoctor } from '@mhrchain/consent';
import { deployMhrChain } from '@mhrchain/contracts';
import { startAnvil } from '@mhrchain/contracts/anvil';
import type { AppConfig } from '../common/config.js';
import { type AppServer, buildApp, startAppServer } from './appServer.js';
import { createEcgFeedRoute } from './ecgFeed.js';
import { createRegistrarRoute } from './registrar.js';
import { createRelayRoute } from './relay.js';
import { type StorageNode, startStorageNode } from './storageNode.js';

/** The repository root: the nearest folder above this file holding `pnpm-workspace.yaml`. */
function repositoryRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'pnpm-workspace.yaml'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('Cannot find the repository root (pnpm-workspace.yaml).');
    directory = parent;
  }
  return directory;
}

/**
 * The ECG recordings (a folder holding `mitdb/`): `$MHR_ECG_DATA`, else the PhysioNet excerpts committed in the
 * repository (`packages/ecg/test/vectors/physionet`, MIT-BIH 101 for its first 15 minutes among them).
 */
export function ecgDataDir(): string {
  return process.env.MHR_ECG_DATA ?? resolve(repositoryRoot(), 'packages/ecg/test/vectors/physionet');
}

/** Options of {@link startStack}. */
export interface StackOptions {
  /** Data directory of the storage node. Default a fresh temporary directory, removed on close. */
  dataDir?: string;
  /** How the app is served; see {@link startAppServer}. */
  mode?: 'preview' | 'dev';
  /** Output directory of the app build. */
  outDir?: string;
  /** MIT-BIH record the patient's simulated wearable plays. Default `101`. */
  ecgRecord?: string;
  /** Progress messages. */
  log?: (message: string) => void;
}

/** Everything the example runs, started. */
export interface Stack {
  /** URL of the browser app. */
  appUrl: string;
  config: AppConfig;
  storage: StorageNode;
  /** Stops everything, in reverse order. */
  close(): Promise<void>;
}

/**
 * Starts the whole example on 127.0.0.1 with free ports: anvil, the contracts (deployed by anvil's account 0, which
 * also acts as the doctors' registrar), the storage node, and the app. Account 1 is the patient, account 2 the doctor.
 *
 * @example
 * ```ts
 * const stack = await startStack();
 * console.log(stack.appUrl);
 * await stack.close();
 * ```
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => {});
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => {});
  };
  // The bundle does not depend on the chain (the app reads its configuration at run time): build it meanwhile.
  const outDir = options.outDir ?? 'dist';
  const building = options.mode === 'dev' ? Promise.resolve() : buildApp(outDir);
  building.catch(() => {});
  try {
    let dataDir = options.dataDir;
    if (dataDir === undefined) {
      const temporary = await mkdtemp(join(tmpdir(), 'mhr-web-ehr-'));
      closers.push(() => rm(temporary, { recursive: true, force: true }));
      dataDir = temporary;
    }

    const anvil = await startAnvil();
    closers.push(() => anvil.stop());
    log(`anvil          ${anvil.rpcUrl}`);
    const [deployer, patient, doctor, colleague] = anvil.signers;
    const deployed = await deployMhrChain({ deployer: deployer! });
    await deployed.chain.identityRegistry.write.setRegistrar(deployer!.address, true);
    // The doctor's colleague (account 3): a registered, attested doctor the doctor can ask to share with. It has no
    // page in this app; it only needs to exist on chain.
    const colleagueClient = await createConsentClient({
      signer: colleague!,
      addresses: deployed.addresses,
      store: createMemoryRecordStore(),
    });
    await registerDoctor(colleagueClient);
    const latest = await anvil.provider.getBlock('latest');
    await deployed.chain.identityRegistry.write.attestDoctor(colleague!.address, latest!.timestamp + 365 * 86_400);
    log(`contracts      deployed (consent manager ${deployed.addresses.consentManager})`);

    const relay = createRelayRoute();
    const storage = await startStorageNode({
      directory: dataDir,
      routes: [
        relay,
        createEcgFeedRoute({ dataDir: ecgDataDir() }),
        createRegistrarRoute({ chain: deployed.chain, doctors: [doctor!.address] }),
      ],
    });
    closers.push(async () => {
      relay.close();
      await storage.close();
    });
    log(`storage node   ${storage.url}`);

    const config: AppConfig = {
      rpcUrl: anvil.rpcUrl,
      chainId: Number(deployed.chainId),
      storageUrl: storage.url,
      contracts: { ...deployed.addresses },
      accounts: {
        patient: { address: patient!.address, name: 'Alex Morgan', privateKey: patient!.privateKey },
        doctor: { address: doctor!.address, name: 'Dr. Sam Rivera', privateKey: doctor!.privateKey },
      },
      colleagues: [{ address: colleague!.address, name: 'Dr. Lee Chen' }],
      ecgRecord: options.ecgRecord ?? '101',
    };
    await building;
    const app: AppServer = await startAppServer({ config, mode: options.mode, outDir, skipBuild: true });
    closers.push(() => app.close());
    log(`app            ${app.url}`);
    return { appUrl: app.url, config, storage, close };
  } catch (error) {
    await building.catch(() => {});
    await close();
    throw error;
  }
}
