import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSegmentMerkleTree, connectMhrChain } from '@mhrchain/contracts';
import { anvilTest } from '@mhrchain/contracts/testing';
import { createHeliaStorage, generateIdentity } from '@mhrchain/core';
import { Wallet } from 'ethers';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createStreamArchive } from './archive.js';
import { generateLiveDeviceKey } from './device.js';
import { SegmentVerificationError } from './errors.js';
import { collectEvents, sleep, testSignal } from './internal/testHelpers.js';
import { type MosquittoInstance, startMosquitto } from './mosquitto.js';
import { createMqttTransport } from './mqttTransport.js';
import { createLivePublisher } from './publisher.js';
import { subscribeLiveStream } from './subscriber.js';
import { readArchivedSegment, verifyArchivedSegment } from './verifyArchivedSegment.js';

let broker: MosquittoInstance;
let directory: string;
beforeAll(async () => {
  broker = await startMosquitto();
  directory = await mkdtemp(join(tmpdir(), 'mhr-live-archive-'));
});
afterAll(async () => {
  await broker?.stop();
  await rm(directory, { recursive: true, force: true });
});

describe('archive and broker restart', () => {
  anvilTest(
    'a broker restart mid-stream: both sides reconnect, gaps are reported, no archived segment is lost, every segment verifies on chain',
    async ({ anvil, mhrChain }) => {
      const patientWallet = anvil.signers[1]!;
      const patient = generateIdentity();
      const doctor = generateIdentity();
      const storage = await createHeliaStorage({ directory: join(directory, 'ipfs') });
      const chain = connectMhrChain(patientWallet, mhrChain.addresses);
      const publisherTransport = await createMqttTransport({ url: broker.url, reconnectPeriodMs: 100 });
      const doctorTransport = await createMqttTransport({ url: broker.url, reconnectPeriodMs: 100 });
      const device = generateLiveDeviceKey();
      const streamId = '00112233445566778899aabbccddeeff';
      const archive = createStreamArchive({
        storage,
        recipients: [patient.publicKey],
        descriptor: { streamId, sampleRate: 360 },
        segmentSeconds: 1,
        segmentsPerBatch: 4,
        anchor: { streamAnchors: chain.streamAnchors, patient: patientWallet.address },
      });
      const publisher = await createLivePublisher({
        transport: publisherTransport,
        device,
        streamId,
        recipients: [doctor.publicKey],
        sampleRate: 360,
        channels: 2,
        sink: archive,
      });
      const subscription = await subscribeLiveStream({
        transport: doctorTransport,
        descriptor: publisher.descriptor,
        identity: doctor,
      });
      const events = collectEvents(subscription);
      expect(await subscription.access).toBe(0);
      const totalFrames = 40; // 10 s of signal at 10x real time
      const signal = testSignal(90 * totalFrames);
      for (let i = 0; i < totalFrames; i++) {
        publisher.write(signal.subarray(i * 180, (i + 1) * 180));
        if (i === 15) await broker.restart();
        await sleep(25);
      }
      await publisher.flush();
      await events.until(() => subscription.stats.lastSequence === totalFrames - 1, 20_000);

      // Both sides saw the outage and came back.
      const connection = events.events.filter((e) => e.type === 'connection');
      expect(connection.map((e) => e.type === 'connection' && e.state)).toEqual(
        expect.arrayContaining(['offline', 'connect']),
      );
      // Every sequence number is accounted for: delivered, or reported in a gap.
      const delivered = events.frames().map((f) => f.sequence);
      const gapped = events.events.flatMap((e) =>
        e.type === 'gap' ? Array.from({ length: e.to - e.from + 1 }, (_, k) => e.from + k) : [],
      );
      expect([...delivered, ...gapped].sort((a, b) => a - b)).toEqual([...Array(totalFrames).keys()]);
      expect(subscription.stats.missing).toBe(gapped.length);
      for (const frame of events.frames()) {
        const start = frame.sequence * 180;
        expect(frame.samples).toEqual(signal.subarray(start, start + 180));
      }

      // The archive holds every frame, whatever the broker did.
      await archive.flush();
      expect(archive.pendingSegments).toBe(0);
      const segments = archive.segments;
      expect(segments.length).toBe(10);
      expect(segments[0]!.firstSequence).toBe(0);
      for (let i = 1; i < segments.length; i++) {
        expect(segments[i]!.firstSequence).toBe(segments[i - 1]!.lastSequence + 1);
      }
      expect(segments.at(-1)!.lastSequence).toBe(totalFrames - 1);
      expect(archive.batches.map((b) => b.segments.length)).toEqual([4, 4, 2]);
      const restored = await Promise.all(
        segments.map((s) => readArchivedSegment({ storage, cid: s.cid, identity: patient })),
      );
      const joined = new Int32Array(signal.length);
      for (const segment of restored) joined.set(segment.samples, segment.firstSampleIndex * 2);
      expect(joined).toEqual(signal);
      await expect(readArchivedSegment({ storage, cid: segments[0]!.cid, identity: doctor })).rejects.toThrow();

      // Every segment verifies against the chain, from a read-only connection.
      const reader = connectMhrChain(anvil.provider, mhrChain.addresses);
      for (const segment of segments) {
        const proof = archive.proofOf(segment.cid)!;
        await verifyArchivedSegment({ streamAnchors: reader.streamAnchors, proof });
      }
      // Adversarial: another segment's CID, another patient, a shortened proof, a root never anchored.
      const proof = archive.proofOf(segments[1]!.cid)!;
      const otherCid = segments[5]!.cid;
      const bad = [
        { ...proof, cid: otherCid },
        { ...proof, patient: Wallet.createRandom().address },
        { ...proof, proof: proof.proof.slice(1) },
        { ...proof, cid: 'not a cid' },
      ];
      for (const candidate of bad) {
        await expect(
          verifyArchivedSegment({ streamAnchors: reader.streamAnchors, proof: candidate }),
        ).rejects.toBeInstanceOf(SegmentVerificationError);
      }
      // A proof from a batch nobody anchored (a consistent tree, never sent) is refused by the chain.
      const tree = buildSegmentMerkleTree([CID.parse(segments[0]!.cid).bytes, CID.parse(otherCid).bytes]);
      const neverAnchored = { ...proof, cid: segments[0]!.cid, root: tree.root, proof: tree.proof(0) };
      await expect(
        verifyArchivedSegment({ streamAnchors: reader.streamAnchors, proof: neverAnchored }),
      ).rejects.toThrow(/chain does not confirm/);

      await subscription.close();
      await publisher.close();
      await publisherTransport.close();
      await doctorTransport.close();
      await storage.close();
    },
    60_000,
  );
});
