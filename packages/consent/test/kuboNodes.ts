import { createGatewayStorage, type Storage } from '@mhrchain/core';
import { type KuboInstance, startKubo } from '@mhrchain/core/kubo';
import { afterAll, beforeAll } from 'vitest';

/** The patient's two Kubo nodes and the hospital's, peered with both, and a verified gateway client of the hospital's. */
export interface KuboNodes {
  /** The patient's node. */
  home: KuboInstance;
  /** The patient's second node. */
  replica: KuboInstance;
  /** The doctor's side. */
  hospital: KuboInstance;
  /** Reads through the hospital node's gateway. */
  hospitalGateway: Storage;
}

/** Starts the nodes before the file's tests and destroys them after; the fields are set once `beforeAll` ran. */
export function useKuboNodes(): KuboNodes {
  const nodes = {} as KuboNodes;
  beforeAll(async () => {
    [nodes.home, nodes.replica, nodes.hospital] = await Promise.all([startKubo(), startKubo(), startKubo()]);
    await nodes.hospital.connect(nodes.home);
    await nodes.hospital.connect(nodes.replica);
    nodes.hospitalGateway = await createGatewayStorage({ gateways: [nodes.hospital.gatewayUrl], allowInsecure: true });
  });
  afterAll(async () => {
    await nodes.hospitalGateway?.close();
    await Promise.all([nodes.home, nodes.replica, nodes.hospital].map((node) => node?.destroy()));
  });
  return nodes;
}
